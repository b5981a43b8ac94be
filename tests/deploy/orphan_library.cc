// A shared library that no Debian package owns, for the runtime-packages
// test: a program linked to it must be refused.

extern "C" int JalinOrphanValue() { return 42; }
