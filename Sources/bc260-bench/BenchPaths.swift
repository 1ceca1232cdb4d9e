import Foundation

/// Where the benchmarks find the `bc260` executable (beside this one, as `make bench` builds
/// both into `.build/release`) and the example scripts (the package's `examples`).
enum BenchPaths {
    static var bc260: String {
        let own = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        return own.deletingLastPathComponent().appendingPathComponent("bc260").path
    }

    static var examples: String {
        if FileManager.default.fileExists(atPath: "examples/ct-iot.at") { return "examples" }
        // Run from elsewhere: this file is Sources/bc260-bench/BenchPaths.swift in the package.
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples").path
    }

    /// Nil when the executable is there; otherwise why a benchmark is skipped.
    static var missingBC260: String? {
        FileManager.default.isExecutableFile(atPath: bc260) ? nil
            : "skipped: no \(bc260) (swift build -c release --product bc260)"
    }
}
