import CoAP
import Foundation
import ModuleCore
import Testing
@testable import Platforms

/// The chapter 4 example scripts (`examples/*.at`) played by the script runner against the
/// emulator through ``EmulatorATDevice``, in virtual time, with nothing outside the process.
@Suite("Emulator: the example scripts through EmulatorATDevice")
struct EmulatorScriptTests {
    static func script(_ name: String) throws -> Script {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples").appendingPathComponent(name)
        return try ScriptParser.parse(try String(contentsOf: url, encoding: .utf8), file: name)
    }

    @Test(arguments: [("ct-iot.at", PlatformProfile.ctIoT, "867724030023557"),
                      ("ct-aep.at", .ctAEP, "866971030603068"),
                      ("cm-andlink.at", .andlink, "866971031275899")])
    func theExamplePasses(_ name: String, _ profile: PlatformProfile, _ imei: String) throws {
        let emulator = Emulator(configuration: Emulator.Configuration(identity: ModuleIdentity(imei: imei, imsi: "460111174747875")))
        var run = VirtualScriptRun(script: try Self.script(name), device: EmulatorATDevice(emulator), millisecondsPerLine: 5)
        var transcript: [String] = []
        let verdict = run.run { entry in
            if let line = TranscriptFormat.line(entry, verbose: false) { transcript.append(line) }
        }
        #expect(verdict.failure == nil, "\(verdict)\n\(transcript.suffix(15).joined(separator: "\n"))")
        // The platform of the example did the work, and nothing tried to leave the process.
        let lines = run.device.platformLines
        #expect(!lines.isEmpty && lines.allSatisfy { $0.profile == profile }, "\(lines.prefix(5))")
        #expect(lines.contains { $0.line.text.hasPrefix("deregistered") })
        #expect(run.diagnostics.isEmpty, "\(run.diagnostics)")
        #expect(run.savedState?.workingServer != nil)
    }
}
