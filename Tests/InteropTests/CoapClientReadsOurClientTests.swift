import CoAP
import Foundation
import LwM2M
import Runtime
import Testing
import TestSupport

/// libcoap's `coap-client` (a CoAP stack nobody here wrote) reads and observes our LwM2M
/// client's objects over real UDP on loopback. The client serves any peer
/// (`ClientConfiguration.servesAnyPeer`), since coap-client speaks from a new port each run.
@Suite(.serialized) struct CoapClientReadsOurClientTests {
    static let tool = "coap-client-notls"

    private func makeClient() throws -> NodeOnUDP<LwM2MClientNode> {
        try Interop.requirePeer(Self.tool)
        let configuration = ClientConfiguration(endpoint: "bc260-interop", servesAnyPeer: true)
        return try NodeOnUDP(LwM2MClientNode(
            machine: LwM2MClient(configuration: configuration, objects: Interop.moduleObjects()),
            endpoint: CoAPEndpoint(seed: 0xC0A9)))
    }

    private func uri(_ rig: NodeOnUDP<LwM2MClientNode>, _ path: String) -> String {
        "coap://\(Interop.loopback):\(rig.address.port)\(path)"
    }

    /// The 2.05 responses coap-client logged at verbosity 6 (one `v:1 t:... c:2.05 ...` line each).
    private func contentLines(_ peer: ChildProcess) -> [String] {
        peer.lines.filter { $0.contains("c:2.05") }
    }

    @Test func getManufacturer() throws {
        let rig = try makeClient()
        defer { rig.close() }
        let out = Interop.scratchFile("manufacturer")
        defer { try? FileManager.default.removeItem(at: out) }
        let peer = try ChildProcess.runToEnd(Self.tool, ["-B", "4", "-m", "get", "-o", out.path, uri(rig, "/3/0/0")],
                                            pump: rig.pump)
        #expect(peer.exitCode == 0, "\(peer.outputText)")
        let body = try Data(contentsOf: out)
        #expect(String(decoding: body, as: UTF8.self) == "Quectel")
        #expect(rig.takeEvents().contains { if case .served(let s) = $0 { s.path == "/3/0/0" && s.code == .content } else { false } })
    }

    @Test func getDeviceAsTLV() throws {
        let rig = try makeClient()
        defer { rig.close() }
        let out = Interop.scratchFile("device-tlv")
        defer { try? FileManager.default.removeItem(at: out) }
        let peer = try ChildProcess.runToEnd(Self.tool, ["-v", "6", "-B", "4", "-m", "get", "-A", "11542",
                                                        "-o", out.path, uri(rig, "/3/0")], pump: rig.pump)
        let body = [UInt8](try Data(contentsOf: out))
        let expected = try rig.host.node.machine.objects.read(LwM2MPath(3, 0), accept: .tlv)
        #expect(body == expected.bytes, "coap-client got \(body.count) B:\n\(peer.outputText)")
        let response = try #require(contentLines(peer).first, "no 2.05 in coap-client's log:\n\(peer.outputText)")
        #expect(response.contains("Content-Format:11542") || response.contains("lwm2m+tlv"), "\(response)")
        try Self.expectModuleDevice(body)
    }

    /// Decodes `/3/0` TLV with our decoder and checks the module's identity in it.
    static func expectModuleDevice(_ tlv: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let node = try TLV.decode(tlv, at: LwM2MPath(3, 0), definition: .device)
        let values = Dictionary(node.flattened(at: LwM2MPath(3, 0)).map { ($0.path, $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(values[LwM2MPath(3, 0, 0)] == .string("Quectel"), sourceLocation: sourceLocation)
        #expect(values[LwM2MPath(3, 0, 1)] == .string("BC260Y-CN"), sourceLocation: sourceLocation)
        #expect(values[LwM2MPath(3, 0, 2)] == .string("863663040000001"), sourceLocation: sourceLocation)
        #expect(values[LwM2MPath(3, 0, 3)] == .string("BC260YCNAAR01A02"), sourceLocation: sourceLocation)
        #expect(values[LwM2MPath(3, 0, 13)] == .time(1_700_000_000), sourceLocation: sourceLocation)
    }

    @Test func observeCurrentTimeWhileItChanges() throws {
        let rig = try makeClient()
        defer { rig.close() }
        let out = Interop.scratchFile("observe")
        defer { try? FileManager.default.removeItem(at: out) }
        var time: Int64 = 1_700_000_000
        var events: [ClientEvent] = []
        var nextChange: Date?
        let peer = try ChildProcess.runToEnd(Self.tool, ["-v", "6", "-B", "6", "-s", "3", "-m", "get", "-o", out.path,
                                                        uri(rig, "/3/0/13")], seconds: 7) {
            rig.pump()
            events += rig.takeEvents()
            // The value changes every 300 ms once the observation is in place.
            if nextChange == nil, events.contains(where: { if case .observationStarted = $0 { true } else { false } }) {
                nextChange = Date().addingTimeInterval(0.3)
            }
            if let due = nextChange, Date() >= due {
                time += 1
                rig.setCurrentTime(time)
                nextChange = Date().addingTimeInterval(0.3)
            }
        }
        // At the end of -s, coap-client deregisters with a GET carrying Observe 1 (RFC 7641 §3.6).
        rig.pump(seconds: 0.5) { rig.host.node.machine.observedPaths.isEmpty }
        events += rig.takeEvents()
        #expect(events.contains(where: { if case .observationStarted(LwM2MPath(3, 0, 13), _) = $0 { true } else { false } }))
        #expect(rig.host.node.machine.observedPaths.isEmpty, "coap-client's cancellation did not end the observation")
        #expect(events.contains(.observationCancelled(LwM2MPath(3, 0, 13), reason: "cancelled by server")), "\(events)")
        let sent = events.compactMap { e -> UInt32? in
            if case .notificationSent(LwM2MPath(3, 0, 13), let sequence, _) = e { sequence } else { nil }
        }
        #expect(sent.count >= 6, "the client sent \(sent.count) notifications in 3 s of changes every 300 ms")
        #expect(sent == sent.sorted(), "Observe sequence numbers go up: \(sent)")
        // The first 2.05 answers the Observe request; the rest are notifications.
        let logged = contentLines(peer).filter { $0.contains("Observe:") }
        #expect(logged.count >= 6, "coap-client logged \(logged.count) responses with Observe:\n\(peer.outputText)")
        // coap-client wrote out each value it was sent, one after the other, starting with the first.
        let written = String(decoding: try Data(contentsOf: out), as: UTF8.self)
        let expected = (1_700_000_000...time).map(String.init).joined()
        #expect(written.hasPrefix("1700000000170000000117000000021700000003"), "\(written)")
        #expect(expected.hasPrefix(written), "coap-client wrote \(written)")
    }
    // Block-wise reads by coap-client -b 64: BlockwiseCoapClientTests.
}
