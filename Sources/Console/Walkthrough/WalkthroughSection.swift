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

    /// The example script as built into the binary (`examples/<scriptName>` when it was built).
    public var builtInScript: String { ExampleScripts.files[scriptName] ?? "" }

    /// Where a walkthrough's steps come from.
    public enum ScriptSource: Hashable, Sendable {
        case builtIn
        case file(String)
    }

    public enum ScriptError: Error, Hashable, CustomStringConvertible {
        case overrideUnreadable(path: String)

        public var description: String {
            switch self {
            case .overrideUnreadable(let path): "BC260_EXAMPLES is set, but \(path) cannot be read"
            }
        }
    }

    /// The script's text: from `$BC260_EXAMPLES/<scriptName>` when that variable is set (to try
    /// an edited example), else the copy built into the binary, so an installed binary needs no
    /// file. A set variable whose file cannot be read is an error, not a silent fallback.
    public func script(environment: [String: String]) throws(ScriptError) -> (source: ScriptSource, text: String) {
        guard let directory = environment["BC260_EXAMPLES"], !directory.isEmpty else { return (.builtIn, builtInScript) }
        let path = directory + "/" + scriptName
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw .overrideUnreadable(path: path) }
        return (.file(path), text)
    }
}
