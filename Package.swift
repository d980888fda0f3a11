// swift-tools-version:6.0
import PackageDescription

// Layers, bottom to top (a lower layer never imports an upper one):
//   C shims → Media, DSP → Runtime → Generators → Engine → TUI → foley
// Fuzzing (the fuzz suite's mutators and cases) sits beside foley: it reads files through
// Engine, Generators, Evaluation and TUI, and nothing imports it but foley-fuzz and FuzzTests.
// See ../shared/DESIGN.md.

/// One system-library target per C library; each ships a shim header for what Swift cannot
/// import directly (C globals, function-like macros).
func systemLibrary(_ name: String, pkgConfig: String, apt: [String]) -> Target {
    .systemLibrary(name: name, path: "Sources/\(name)", pkgConfig: pkgConfig, providers: [.apt(apt)])
}

let package = Package(
    name: "Foley",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "foley", targets: ["foley"]),
        .executable(name: "foley-bench", targets: ["foley-bench"]),
        .executable(name: "foley-fuzz", targets: ["foley-fuzz"]),
        .library(name: "Media", targets: ["Media"]),
        .library(name: "DSP", targets: ["DSP"]),
        .library(name: "Runtime", targets: ["Runtime"]),
        .library(name: "Generators", targets: ["Generators"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        systemLibrary("CNcursesw", pkgConfig: "ncursesw", apt: ["libncurses-dev"]),
        systemLibrary("CALSA", pkgConfig: "alsa", apt: ["libasound2-dev"]),
        systemLibrary("CAVUtil", pkgConfig: "libavutil", apt: ["libavutil-dev"]),
        systemLibrary("CAVCodec", pkgConfig: "libavcodec", apt: ["libavcodec-dev"]),
        systemLibrary("CAVFormat", pkgConfig: "libavformat", apt: ["libavformat-dev"]),
        systemLibrary("CSWScale", pkgConfig: "libswscale", apt: ["libswscale-dev"]),
        systemLibrary("CSWResample", pkgConfig: "libswresample", apt: ["libswresample-dev"]),
        systemLibrary("COpenBLAS", pkgConfig: "openblas", apt: ["libopenblas-dev"]),
        systemLibrary("CFFTW", pkgConfig: "fftw3f", apt: ["libfftw3-dev"]),

        .target(name: "Media", dependencies: ["CAVUtil", "CAVCodec", "CAVFormat", "CSWScale", "CSWResample"]),
        .target(name: "DSP", dependencies: ["CFFTW", "COpenBLAS"]),
        .target(name: "CKernels"),
        .target(name: "Runtime", dependencies: ["COpenBLAS", "CKernels"]),

        // Where the data (Weights/, Themes/, the demo) is at run time: no source paths.
        .target(name: "Install"),
        .target(name: "Generators", dependencies: ["Runtime", "DSP", "Install"]),
        .target(name: "Engine", dependencies: ["Media", "DSP", "Runtime", "Generators", "Install", "CALSA"]),
        .target(name: "TestGenerator", dependencies: ["Generators", "Runtime"]),
        // The evaluation's onset detector: FFTW only, so it can share nothing with the generators'.
        .target(name: "IndependentOnsets", dependencies: ["CFFTW"]),
        .target(name: "Evaluation", dependencies: ["Generators", "Runtime", "DSP", "Media", "IndependentOnsets"]),

        .target(name: "TUI", dependencies: ["Engine", "Generators", "Media", "DSP", "CNcursesw", "Install",
                                           .product(name: "TOMLKit", package: "TOMLKit")]),

        .target(name: "TestHelpers", dependencies: ["Media", "DSP", "Runtime"]),

        .executableTarget(name: "foley", dependencies: [
            "Media", "DSP", "Engine", "TUI", "TestGenerator", "Evaluation", "Generators", "Runtime", "Install", "CALSA", "CNcursesw", "CFFTW", "COpenBLAS",
            "CAVUtil", "CAVCodec", "CAVFormat", "CSWScale", "CSWResample",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .target(name: "Fuzzing", dependencies: ["Engine", "Generators", "Evaluation", "TUI", "Media", "Runtime"]),
        .executableTarget(name: "foley-fuzz", dependencies: ["Fuzzing", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(name: "foley-bench", dependencies: ["Media", "DSP", "Runtime", "Engine", "Generators", "TUI", "TestGenerator", "TestHelpers", "Evaluation"]),

        .testTarget(name: "MediaTests", dependencies: ["Media", "TestHelpers"]),
        .testTarget(name: "DSPTests", dependencies: ["DSP", "Runtime", "TestHelpers"]),
        .testTarget(name: "RuntimeTests", dependencies: ["Runtime", "TestHelpers"]),
        .testTarget(name: "CLITests", dependencies: ["TestHelpers", "Media", "Install", "Runtime"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "Media", "Generators", "Runtime", "TestGenerator", "TestHelpers"]),
        .testTarget(name: "TUITests", dependencies: ["TUI", "Engine", "Generators", "Media", "DSP", "TestHelpers"]),
        .testTarget(name: "GeneratorsTests", dependencies: ["Generators", "Engine", "Runtime", "TestHelpers"]),
        .testTarget(name: "FuzzTests", dependencies: ["Fuzzing", "TestHelpers"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "IndependentOnsets", "DSP", "Runtime", "Generators", "TestHelpers"]),
    ],
    swiftLanguageModes: [.v6]
)
