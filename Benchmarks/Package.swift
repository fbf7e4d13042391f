// swift-tools-version: 6.1
// Weir's performance benchmarks: a package apart from the engine, so the engine's own build and
// tests never pull in package-benchmark. See README.md in this folder.
import PackageDescription

import struct Foundation.URL

// SwiftPM names a path dependency after its folder, so the engine's package identity is the name
// of the checkout's folder (e.g. "main" or "weir"), not "Weir".
let weirPackage = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .lastPathComponent.lowercased()

/// The engine's package name as SwiftPM passes it to the compiler (`-package-name`): its
/// identity with every character that cannot be in an identifier replaced by `_`.
let weirPackageName = String(weirPackage.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })

let package = Package(
    name: "WeirBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(path: ".."),
    ],
    targets: [
        // What both harnesses share: loading the orders workload and the hand-written baseline.
        .target(
            name: "BenchSupport",
            dependencies: [.product(name: "Weir", package: weirPackage)]
        ),
        // package-benchmark suite (`swift package benchmark`): Benchmarks/<Name>/<Name>.swift.
        .executableTarget(
            name: "EvaluationBenchmarks",
            dependencies: [
                "BenchSupport",
                .product(name: "Weir", package: weirPackage),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "EvaluationBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // Owned events and the ingest path (packing, attribute reads), with malloc counts. Compiled
        // as part of the engine's package (`-package-name`, its identity as SwiftPM spells it), so
        // that it measures the engine-facing `package` API, which no public symbol exposes.
        .executableTarget(
            name: "IngestBenchmarks",
            dependencies: [
                "BenchSupport",
                .product(name: "Weir", package: weirPackage),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "IngestBenchmarks",
            packageAccess: false,  // so that SwiftPM passes no -package-name of its own after ours
            swiftSettings: [.unsafeFlags(["-package-name", weirPackageName])],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // The same measurements with ContinuousClock, one JSON line per benchmark.
        .executableTarget(
            name: "weir-evalbench",
            dependencies: ["BenchSupport", .product(name: "Weir", package: weirPackage)]
        ),
    ],
    swiftLanguageModes: [.v6]
)
