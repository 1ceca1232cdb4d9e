import Foundation
@testable import ModuleCore

import Testing

/// The PSK of a server configuration never shows when the configuration, or an event carrying
/// it, is printed into a diagnostic.
@Suite struct ServerConfigurationPrintTests {
    static let key = "0123456789abcdef-secret"
    static let server = ServerConfiguration(host: "192.0.2.10", port: 5684, endpoint: "urn:imei:867724030023557",
                                            lifetime: 300, securityMode: .preSharedKey,
                                            pskIdentity: "bc260-id", psk: key)

    @Test func theKeyIsMaskedHoweverItIsPrinted() {
        let event = SessionEvent.bootstrapFinished(Self.server)
        var dumped = ""
        dump(event, to: &dumped)
        for text in [String(describing: Self.server), String(reflecting: Self.server), "\(event)",
                     String(reflecting: event), dumped] {
            #expect(!text.contains(Self.key), "the key in: \(text)")
            #expect(text.contains("bc260-id") && text.contains("192.0.2.10"), "still says which server: \(text)")
        }
    }

    @Test func aSessionEventIgnoredWhilePoweredOffLogsNoKey() {
        var module = EmulatedModule(identity: ModuleIdentity(), timing: ModuleTiming(), savedState: .defaults)
        let output = module.handle(.bootstrapFinished(Self.server), now: .zero)
        #expect(!output.diagnostics.isEmpty, "the ignored event is reported")
        #expect(!output.diagnostics.joined().contains(Self.key), "\(output.diagnostics)")
    }
}
