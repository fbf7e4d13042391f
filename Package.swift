// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Weir",
    products: [
        .library(name: "Weir", targets: ["Weir"]),
        .executable(name: "weir", targets: ["weir"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // System libraries and the C++ shim over simdjson.
        .systemLibrary(
            name: "CPCRE2",
            pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"])]
        ),
        .target(
            name: "CSimdJSON",
            linkerSettings: [.linkedLibrary("simdjson")]
        ),

        // The engine, one module per concern (see ARCHITECTURE in README).
        .target(name: "WeirCore", dependencies: ["CSimdJSON"]),
        .target(name: "WeirSyntax"),
        .target(name: "WeirCompiler", dependencies: ["WeirCore", "WeirSyntax", "CPCRE2"]),
        .target(name: "WeirIngest", dependencies: ["WeirCore", "CSimdJSON"]),
        .target(name: "WeirCEP", dependencies: ["WeirCore"]),
        .target(name: "WeirBus", dependencies: ["WeirCore", "WeirSyntax"]),
        .target(name: "WeirEngine", dependencies: ["WeirCore", "WeirSyntax", "WeirCompiler", "WeirCEP", "WeirIngest"]),
        .target(name: "Weir", dependencies: ["WeirCore", "WeirSyntax", "WeirCompiler", "WeirIngest", "WeirCEP", "WeirEngine", "WeirBus"]),
        .executableTarget(
            name: "weir",
            dependencies: ["Weir", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),

        // Helpers shared by the test targets (a seeded generator, a small-stack thread).
        .target(name: "WeirTestSupport", path: "Tests/WeirTestSupport"),
        .testTarget(name: "WeirCoreTests", dependencies: ["WeirCore", "WeirTestSupport"]),
        .testTarget(name: "WeirSyntaxTests", dependencies: ["WeirSyntax", "WeirTestSupport"]),
        .testTarget(
            name: "WeirCompilerTests",
            dependencies: ["WeirCompiler", "WeirCore", "WeirSyntax", "Weir", "WeirTestSupport", .product(name: "Yams", package: "Yams")],
            resources: [.copy("Extensions")]
        ),
        .testTarget(name: "WeirIngestTests", dependencies: ["WeirIngest", "WeirCore", "WeirTestSupport"]),
        .testTarget(name: "WeirCEPTests", dependencies: ["WeirCEP", "WeirCore", "WeirTestSupport"]),
        .testTarget(name: "WeirBusTests", dependencies: ["WeirBus", "WeirCore", "Weir", "WeirTestSupport"]),
        .testTarget(name: "WeirTests", dependencies: ["Weir", "WeirTestSupport"]),
        .testTarget(
            name: "WeirEngineTests",
            dependencies: ["WeirEngine", "WeirCEP", "WeirCompiler", "WeirCore", "WeirIngest", "WeirSyntax", "Weir", "WeirTestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6],
    cxxLanguageStandard: .cxx17
)
