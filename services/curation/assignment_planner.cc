#include "services/curation/assignment_planner.h"

#include <algorithm>
#include <deque>
#include <numeric>

#include "absl/strings/match.h"

namespace jalin::curation {
namespace {

int64_t PairKey(int s, int r) {
  return (static_cast<int64_t>(s) << 32) | static_cast<uint32_t>(r);
}

// True when region code `a` equals `b` or contains it ("33" contains
// "33.13").
bool Contains(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return false;
  if (a == b) return true;
  return b.size() > a.size() && absl::StartsWith(b, a) && b[a.size()] == '.';
}

}  // namespace

AssignmentPlanner::AssignmentPlanner(std::vector<Reviewer> reviewers,
                                     const std::vector<Profile>& profiles,
                                     std::vector<Submission> submissions)
    : reviewers_(std::move(reviewers)), subs_(std::move(submissions)) {
  const int nr = static_cast<int>(reviewers_.size());
  const int ns = static_cast<int>(subs_.size());
  load_.assign(nr, 0);
  open_of_.assign(nr, {});
  holders_.assign(ns, {});
  for (int r = 0; r < nr; ++r) load_[r] = reviewers_[r].fixed_load;
  for (const Profile& p : profiles) {
    std::vector<char> row(nr);
    for (int r = 0; r < nr; ++r) {
      row[r] = Conflicts(reviewers_[r], p.region, p.clusters) ? 0 : 1;
    }
    eligible_.push_back(std::move(row));
  }
  for (int s = 0; s < ns; ++s) {
    const Submission& sub = subs_[s];
    for (int r : sub.reviewed) {
      holders_[s].push_back(r);
      ++load_[r];
    }
    for (int r : sub.open) {
      holders_[s].push_back(r);
      open_of_[r].push_back(s);
      ++load_[r];
      initial_open_[PairKey(s, r)] = true;
    }
  }
}

bool AssignmentPlanner::Conflicts(const Reviewer& r, const std::string& region,
                                  const std::vector<std::string>& clusters) {
  for (const auto& own : r.regions) {
    if (Contains(own, region) || Contains(region, own)) return true;
  }
  for (const auto& own : r.clusters) {
    if (std::find(clusters.begin(), clusters.end(), own) != clusters.end()) {
      return true;
    }
  }
  return false;
}

bool AssignmentPlanner::Holds(int s, int r) const {
  const auto& h = holders_[s];
  return std::find(h.begin(), h.end(), r) != h.end();
}

bool AssignmentPlanner::Eligible(int s, int r) const {
  if (!eligible_[subs_[s].profile][r] || Holds(s, r)) return false;
  const auto& b = subs_[s].blocked;
  return std::find(b.begin(), b.end(), r) == b.end();
}

void AssignmentPlanner::Fill(Plan& plan) {
  const int nr = static_cast<int>(reviewers_.size());
  struct Need {
    int s;
    int missing;
    int eligible;
  };
  std::vector<Need> needs;
  for (int s = 0; s < static_cast<int>(subs_.size()); ++s) {
    const int missing = subs_[s].wanted - static_cast<int>(holders_[s].size());
    if (missing <= 0) continue;
    int eligible = 0;
    for (int r = 0; r < nr; ++r) eligible += Eligible(s, r) ? 1 : 0;
    needs.push_back({s, missing, eligible});
  }
  // The most constrained first, so that the flexible ones fill around them.
  std::stable_sort(
      needs.begin(), needs.end(),
      [](const Need& a, const Need& b) { return a.eligible < b.eligible; });
  std::vector<int> picked;
  for (const Need& n : needs) {
    picked.clear();
    // The `missing` least loaded eligible reviewers, ties to lower indexes.
    for (int r = 0; r < nr; ++r) {
      if (!Eligible(n.s, r)) continue;
      auto pos =
          std::upper_bound(picked.begin(), picked.end(), r,
                           [&](int a, int b) { return load_[a] < load_[b]; });
      if (pos - picked.begin() < n.missing) {
        picked.insert(pos, r);
        if (static_cast<int>(picked.size()) > n.missing) picked.pop_back();
      }
    }
    for (int r : picked) {
      holders_[n.s].push_back(r);
      open_of_[r].push_back(n.s);
      ++load_[r];
    }
    if (static_cast<int>(picked.size()) < n.missing) {
      plan.shortfalls.push_back(
          {n.s, n.missing - static_cast<int>(picked.size()), n.eligible});
    }
  }
}

bool AssignmentPlanner::Augment(const std::vector<char>& is_source,
                                const std::vector<char>& is_target) {
  const int nr = static_cast<int>(reviewers_.size());
  std::vector<int> parent(nr, -1), via(nr, -1);
  std::vector<char> visited(nr, 0);
  std::deque<int> queue;
  int unvisited = nr;
  for (int r = 0; r < nr; ++r) {
    if (is_source[r]) {
      visited[r] = 1;
      --unvisited;
      queue.push_back(r);
    }
  }
  while (!queue.empty() && unvisited > 0) {
    const int u = queue.front();
    queue.pop_front();
    for (int s : open_of_[u]) {
      for (int v = 0; v < nr && unvisited > 0; ++v) {
        if (visited[v] || !Eligible(s, v)) continue;
        visited[v] = 1;
        --unvisited;
        parent[v] = u;
        via[v] = s;
        if (!is_target[v]) {
          queue.push_back(v);
          continue;
        }
        // Apply the path back to its source: each reviewer on it hands one
        // open submission to the next.
        for (int to = v; parent[to] != -1; to = parent[to]) {
          const int from = parent[to];
          const int sub = via[to];
          auto& from_open = open_of_[from];
          from_open.erase(std::find(from_open.begin(), from_open.end(), sub));
          open_of_[to].push_back(sub);
          *std::find(holders_[sub].begin(), holders_[sub].end(), from) = to;
          --load_[from];
          ++load_[to];
        }
        return true;
      }
      if (unvisited == 0) break;
    }
  }
  return false;
}

void AssignmentPlanner::Rebalance() {
  const int nr = static_cast<int>(reviewers_.size());
  if (nr < 2) return;
  std::vector<char> source(nr), target(nr);
  // Each move takes one assignment from a reviewer to one at least two
  // below it, lowering the sum of squared loads: the loop ends.
  while (true) {
    const auto [mn_it, mx_it] = std::minmax_element(load_.begin(), load_.end());
    const int mn = *mn_it, mx = *mx_it;
    if (mx - mn <= 1) return;
    // Lower the maximum...
    for (int r = 0; r < nr; ++r) {
      source[r] = load_[r] == mx;
      target[r] = load_[r] <= mx - 2;
    }
    if (Augment(source, target)) continue;
    // ... or else raise the lowest level that some path can reach.
    bool moved = false;
    for (int level = mn; level <= mx - 2 && !moved; ++level) {
      bool any = false;
      for (int r = 0; r < nr; ++r) {
        source[r] = load_[r] >= level + 2;
        target[r] = load_[r] == level;
        any = any || target[r];
      }
      moved = any && Augment(source, target);
    }
    if (!moved) return;
  }
}

AssignmentPlanner::Plan AssignmentPlanner::Run() {
  Plan plan;
  Fill(plan);
  Rebalance();
  absl::flat_hash_map<int64_t, bool> final_open;
  for (int r = 0; r < static_cast<int>(reviewers_.size()); ++r) {
    for (int s : open_of_[r]) {
      final_open[PairKey(s, r)] = true;
      if (!initial_open_.contains(PairKey(s, r))) plan.added.push_back({s, r});
    }
  }
  for (const auto& [key, unused] : initial_open_) {
    if (!final_open.contains(key)) {
      plan.moved_away.push_back(
          {static_cast<int>(key >> 32), static_cast<int>(key & 0xffffffff)});
    }
  }
  std::sort(plan.added.begin(), plan.added.end());
  std::sort(plan.moved_away.begin(), plan.moved_away.end());
  plan.loads = load_;
  if (!load_.empty()) {
    const auto [mn, mx] = std::minmax_element(load_.begin(), load_.end());
    plan.spread = *mx - *mn;
  }
  return plan;
}

}  // namespace jalin::curation
