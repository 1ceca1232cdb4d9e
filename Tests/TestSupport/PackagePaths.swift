import Foundation

/// Where the package and its built `bc260` are, for tests that run the real binary.
public enum PackagePaths {
    /// The package's root, from this file's path (Tests/TestSupport/PackagePaths.swift).
    public static let root: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// `bc260` beside the running test bundle (`swift build --build-tests` builds both), else
    /// in `.build/debug`.
    public static let bc260: String = {
        let bundleDirectory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let beside = bundleDirectory.appendingPathComponent("bc260").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        return root + "/.build/debug/bc260"
    }()
}
