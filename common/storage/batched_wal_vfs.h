// An SQLite VFS that writes a commit's WAL frames with one system call
// instead of two per page.
//
// SQLite appends each WAL frame as two writes, its 24-byte header and then
// the page. On a virtual machine a system call costs several times more
// than copying the page (measured: about 4.6 µs per frame written that way
// against 0.7 µs when 25 frames go out in one write), and a service that
// commits a few hundred times a second writes tens of thousands of frames.
//
// This VFS wraps the default one ("unix"). For WAL files, appends (a write
// starting where the previous one ended) are gathered in memory and written
// in one call:
//  - as soon as a commit frame (a frame header naming the database size) and
//    its page are gathered, so a failed write fails the commit through
//    xWrite, as it would without gathering;
//  - before any other operation on the WAL file (a read, size, truncate,
//    sync, close, file control) and before a write elsewhere, which then
//    goes straight through (SQLite rewrites frames and checksums in place
//    after a page spilled and changed again, the commit frame's header
//    last, and writes the WAL header when the WAL starts over): its failure
//    is returned too;
//  - when 1 MiB is gathered (a large transaction), in writes of at most
//    124 KiB (the unix VFS takes no more at once);
//  - before the main database file's shared-memory barrier, lock and unmap
//    calls, through which SQLite publishes frames to other connections.
//    By the rules above nothing is gathered when a commit is published;
//    should a barrier still find something and fail to write it, the
//    process stops rather than publish frames that are not in the file.
//    An unlock always goes through (what is gathered then belongs to a
//    transaction being rolled back).
// A frame therefore reaches the file before any connection can see it, in
// the order SQLite wrote it. A database file without power-safe overwrite
// (where SQLite pads synced commits to a sector and splits a frame around a
// sync) gets no gathering, nor do other files (the database, temporary
// files). The WAL file format is SQLite's documented one; the VFS only
// reads the commit mark in a frame header.
//
// Thread-safety: BatchedWalVfs() is thread-safe. Each open file belongs to
// one connection, which SQLite uses from one thread at a time.

#ifndef COMMON_STORAGE_BATCHED_WAL_VFS_H_
#define COMMON_STORAGE_BATCHED_WAL_VFS_H_

namespace jalin::storage {

// The VFS's name for sqlite3_open_v2, registered (not as the default) on
// the first call. nullptr, meaning SQLite's default VFS, when the default is
// not "unix" or registration failed.
const char* BatchedWalVfs();

}  // namespace jalin::storage

#endif  // COMMON_STORAGE_BATCHED_WAL_VFS_H_
