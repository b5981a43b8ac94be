// Distances on the earth's surface.

#ifndef COMMON_GEO_GEO_H_
#define COMMON_GEO_GEO_H_

namespace jalin::geo {

// Great-circle distance in km between two points given in degrees
// (haversine on a sphere of radius 6,371 km: within 0.5% for Indonesia).
double HaversineKm(double lat1, double lng1, double lat2, double lng2);

}  // namespace jalin::geo

#endif  // COMMON_GEO_GEO_H_
