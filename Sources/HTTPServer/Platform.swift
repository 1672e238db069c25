// Sluice builds and runs on Linux only (see Package.swift): the socket layer uses Glibc and
// Linux-only calls and options.
#if !os(Linux)
#error("Sluice builds on Linux only (Glibc, accept4, MSG_NOSIGNAL, mallopt); use the Dockerfile on other systems")
#endif
