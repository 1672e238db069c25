// swift-tools-version:6.0
import Foundation
import PackageDescription

// The seed's two custom connectors, ported to Swift and served by Sluice. Depends on the
// Sluice package one folder up; its identity is that folder's name, whatever the clone is called.
let sluiceRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let sluice = sluiceRoot.lastPathComponent

let package = Package(
    name: "SluiceExamples",
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(
            name: "custom-connectors",
            dependencies: [
                .product(name: "SluiceCore", package: sluice),
                .product(name: "SluiceServer", package: sluice),
            ],
            path: "Sources/CustomConnectors"
        ),
    ],
    swiftLanguageModes: [.v6]
)
