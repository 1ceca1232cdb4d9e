import Foundation
import ModuleCore

/// One of the note's chapter 4 examples a walkthrough follows: its section, its platform, and
/// the example script (`examples/*.at`) that holds its steps, so the steps are written once.
public enum WalkthroughSection: String, CaseIterable, Hashable, Sendable {
    case ct
    case aep
    case andlink

    public init?(name: String) { self.init(rawValue: name.lowercased()) }

    /// The note's section number.
    public var noteSection: String {
        switch self {
        case .ct: "4.2.2"
        case .aep: "4.3.2"
        case .andlink: "4.4.2"
        }
    }

    public var title: String {
        switch self {
        case .ct: "China Telecom IoT (电信 IoT 平台)"
        case .aep: "China Telecom AEP (中国电信 AEP 平台)"
        case .andlink: "China Mobile Andlink (中国移动 Andlink 平台)"
        }
    }

    /// The example script's file name in `examples/`.
    public var scriptName: String {
        switch self {
        case .ct: "ct-iot.at"
        case .aep: "ct-aep.at"
        case .andlink: "cm-andlink.at"
        }
    }

    /// The IMEI the note's example registers with (the AEP and Andlink endpoints name it).
    public var noteIMEI: String {
        switch self {
        case .ct: "867724030023557"
        case .aep: "866971030603068"
        case .andlink: "866971031275899"
        }
    }

    /// The example script's text, found in the first of `directories` that holds it.
    public func scriptText(searching directories: [String]) -> (path: String, text: String)? {
        for directory in directories {
            let path = directory + "/" + scriptName
            if let text = try? String(contentsOfFile: path, encoding: .utf8) { return (path, text) }
        }
        return nil
    }

    /// This file, where the package was built (a default argument's `#filePath` would be the caller's).
    public static let sourceFile = #filePath

    /// Where the examples are looked for: `$BC260_EXAMPLES`, then `examples/` beside the
    /// executable or in any directory above it (a build in the package), then the package the
    /// binary was built from.
    public static func exampleDirectories(executable: String, environment: [String: String],
                                          sourceFile: String = WalkthroughSection.sourceFile) -> [String] {
        var result: [String] = []
        if let dir = environment["BC260_EXAMPLES"], !dir.isEmpty { result.append(dir) }
        var dir = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        while dir.path != "/" && !dir.path.isEmpty {
            result.append(dir.appendingPathComponent("examples").path)
            result.append(dir.appendingPathComponent("share/bc260/examples").path)
            dir.deleteLastPathComponent()
        }
        var source = URL(fileURLWithPath: sourceFile)
        for _ in 0..<4 { source.deleteLastPathComponent() }   // Sources/Console/Walkthrough/x.swift
        result.append(source.appendingPathComponent("examples").path)
        return result
    }
}
