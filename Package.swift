// swift-tools-version:6.2
import PackageDescription

// Module map (DESIGN.md): dependencies point down.
//   sluice (executable) → SluiceServer → SluiceConnectors → SluiceCore
//                     SluiceConnectors → CSQLite (system sqlite3), PostgresNIO
//   sluice (executable) → SluiceClient → AsyncHTTPClient (the terminal client: read, write)
//                                     └→ HTTPServer → CZlib, CNghttp2, CSocketShims
// Linux only (Debian is what CI, `make` and the Dockerfile use): the engine is written
// against Glibc and Linux behaviour (accept4, MSG_NOSIGNAL, mallopt, st_mtim, Dispatch over
// epoll), and nothing is tested elsewhere. `Sources/HTTPServer/Platform.swift` says so at
// compile time instead of failing somewhere in the socket code.
let package = Package(
    name: "Sluice",
    products: [
        .executable(name: "sluice", targets: ["sluice"]),
        .library(name: "SluiceCore", targets: ["SluiceCore"]),
        .library(name: "SluiceConnectors", targets: ["SluiceConnectors"]),
        .library(name: "HTTPServer", targets: ["HTTPServer"]),
        .library(name: "SluiceServer", targets: ["SluiceServer"]),
        .library(name: "SluiceClient", targets: ["SluiceClient"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.30.0"),
        // The terminal client's HTTP (the server stays on our own engine). The trait gives a
        // response's trailers, where a row stream's `Sluice-Row-Count` arrives.
        .package(url: "https://github.com/swift-server/async-http-client.git", .upToNextMinor(from: "1.37.0"),
                 traits: ["UnstableHTTPAPIsSupport"]),
    ],
    targets: [
        // System libraries, with header shims for what Swift cannot import (zlib's init macros).
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CNghttp2", pkgConfig: "libnghttp2", providers: [.apt(["libnghttp2-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // Glibc calls Swift cannot see (accept4, sendmsg flags, memmem, mallopt).
        .target(name: "CSocketShims"),

        // The one lock type (a pthread mutex ThreadSanitizer can see), for every module.
        .target(name: "SluiceLocks"),
        .target(name: "SluiceCore", dependencies: ["SluiceLocks"]),
        .target(
            name: "SluiceConnectors",
            dependencies: [
                "SluiceCore", "SluiceLocks", "CSQLite",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(
            name: "HTTPServer",
            dependencies: [
                "CZlib", "CNghttp2", "CSocketShims", "SluiceLocks",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "SluiceServer",
            dependencies: [
                "SluiceCore", "SluiceConnectors", "HTTPServer", "SluiceLocks",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            plugins: ["EmbedPageAssets"]
        ),
        // Build time: `Public/` and `openapi.yaml` become code in SluiceServer (one binary is the whole server).
        .executableTarget(name: "sluice-embed-assets", path: "Plugins/EmbedPageAssetsTool"),
        .plugin(name: "EmbedPageAssets", capability: .buildTool(), dependencies: ["sluice-embed-assets"]),

        // `sluice read`, `sluice write`, `sluice connectors`: a client of a running server.
        .target(
            name: "SluiceClient",
            dependencies: [
                "SluiceCore", "HTTPServer", "CZlib", "SluiceLocks",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "sluice",
            dependencies: [
                "SluiceServer", "SluiceClient", "HTTPServer", "SluiceCore", "SluiceLocks", "CSocketShims",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),

        // `make bench`: codec throughput on the range benchmark rows (one core).
        .executableTarget(
            name: "sluice-bench",
            dependencies: ["SluiceCore", "SluiceConnectors"],
            path: "Benchmarks/CodecBench"
        ),

        // `make bench`: the HTTP engine alone against nginx (small JSON, streaming, upload, idle).
        .executableTarget(
            name: "http-bench-server",
            dependencies: ["HTTPServer", .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/HTTPBenchServer"
        ),

        .testTarget(name: "SluiceCoreTests", dependencies: ["SluiceCore"]),
        .testTarget(name: "SluiceConnectorsTests", dependencies: [
            "SluiceConnectors", "SluiceCore", .product(name: "PostgresNIO", package: "postgres-nio"),
        ]),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "CNghttp2", "SluiceLocks", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "SluiceClientTests", dependencies: [
            "SluiceClient", "SluiceServer", "SluiceCore",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        .testTarget(name: "SluiceServerTests", dependencies: [
            "SluiceServer", "SluiceConnectors", "SluiceCore", "HTTPServer", .product(name: "Logging", package: "swift-log"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)

// What the best Swift server packages turn on: `any` spelled out for existentials, and a
// module's members visible only where that module is imported.
for target in package.targets where target.type != .plugin && target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + [
        .enableUpcomingFeature("ExistentialAny"),
        .enableUpcomingFeature("MemberImportVisibility"),
    ]
}
