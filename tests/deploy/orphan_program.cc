// Loads the orphan library (see orphan_library.cc).

extern "C" int JalinOrphanValue();

int main() { return JalinOrphanValue() == 42 ? 0 : 1; }
