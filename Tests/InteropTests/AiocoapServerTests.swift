import CoAP
import Foundation
import LwM2M
import Runtime
import Testing
import TestSupport

/// Our LwM2M client against a small LwM2M server written with aiocoap
/// (`peers/lwm2m_server.py`): it must see our registration, read /3/0 as TLV and decode it with
/// its own TLV reader, and receive the notifications of /3/0/13.
@Suite(.serialized) struct AiocoapServerTests {
    static let notifications = 5

    /// One JSON line the script printed.
    struct Line {
        var fields: [String: Any]
        var event: String { fields["event"] as? String ?? "" }
        subscript(key: String) -> Any? { fields[key] }
    }

    static func parse(_ lines: [String]) -> [Line] {
        lines.compactMap { text in
            guard let data = text.data(using: .utf8),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
            return Line(fields: object)
        }
    }

    @Test func registrationReadAndObserveSeenByAiocoap() throws {
        try Interop.requirePeer("python3")
        let script = ChildProcess.peersDirectory.appendingPathComponent("lwm2m_server.py").path
        let port = try Interop.freePort()
        let server = try ChildProcess.peer("python3", [script, "\(port)", "\(Self.notifications)"])
        defer { server.stop() }
        #expect(server.waitFor(seconds: 8) { Self.parse($0).contains { $0.event == "listening" || $0.event == "error" } },
                "the aiocoap server did not start:\n\(server.outputText)")
        try #require(!Self.parse(server.lines).contains { $0.event == "error" }, "\(server.outputText)")

        let serverAddress = PeerAddress(host: Interop.loopback, port: port)
        let rig = try NodeOnUDP(LwM2MClientNode(
            machine: LwM2MClient(configuration: ClientConfiguration(endpoint: "bc260-aiocoap", server: serverAddress),
                                 objects: Interop.moduleObjects()),
            endpoint: CoAPEndpoint(seed: 0xA10C)))
        defer { rig.close() }
        var events: [ClientEvent] = []
        var time: Int64 = 1_700_000_000
        var nextChange: Date?
        rig.command { client, now in client.start(now: now) }
        let finished = server.waitFor(seconds: 8, pump: {
            rig.pump()
            events += rig.takeEvents()
            // Once observed, the clock moves every 200 ms.
            if nextChange == nil, events.contains(where: { if case .observationStarted = $0 { true } else { false } }) {
                nextChange = Date().addingTimeInterval(0.2)
            }
            if let due = nextChange, Date() >= due {
                time += 1
                rig.setCurrentTime(time)
                nextChange = Date().addingTimeInterval(0.2)
            }
        }) { Self.parse($0).contains { $0.event == "done" || $0.event == "error" } }
        let lines = Self.parse(server.lines)
        #expect(finished, "the aiocoap server did not finish:\n\(server.outputText)\nclient events: \(events)")
        #expect(!lines.contains { $0.event == "error" }, "\(server.outputText)")

        // Registration as aiocoap saw it.
        let register = try #require(lines.first { $0.event == "register" }, "\(server.outputText)")
        let query = register["query"] as? [String: String] ?? [:]
        #expect(query["ep"] == "bc260-aiocoap")
        #expect(query["lt"] == "86400", "the Server object's lifetime (/1/0/1) is the one registered")
        #expect(query["lwm2m"] == "1.0")
        #expect(query["b"] == "U")
        #expect(register["content_format"] as? Int == 40)
        let links = register["links"] as? String ?? ""
        for object in ["</1/0>", "</3/0>", "</4/0>", "</5/0>"] {
            #expect(links.contains(object), "\(links)")
        }
        #expect(!links.contains("</0/"), "the Security object is never registered: \(links)")
        #expect(events.contains(.registered(location: ["rd", "1"])))

        // The TLV read, decoded by the script's own reader.
        let read = try #require(lines.first { $0.event == "read" }, "\(server.outputText)")
        #expect((read["code"] as? String)?.hasPrefix("2.05") == true, "\(String(describing: read["code"]))")
        #expect(read["content_format"] as? Int == 11542)
        let device = read["device"] as? [String: Any] ?? [:]
        #expect(device["0"] as? String == "Quectel")
        #expect(device["1"] as? String == "BC260Y-CN")
        #expect(device["2"] as? String == "863663040000001")
        #expect(device["3"] as? String == "BC260YCNAAR01A02")
        #expect(device["16"] as? String == "UQ")

        // The observation and its notifications, in order, each a newer time.
        let observed = try #require(lines.first { $0.event == "observed" }, "\(server.outputText)")
        #expect((observed["code"] as? String)?.hasPrefix("2.05") == true)
        #expect(observed["value"] as? String == "1700000000")
        let notes = lines.filter { $0.event == "notification" }
        #expect(notes.count == Self.notifications, "\(server.outputText)")
        let values = notes.compactMap { ($0["value"] as? String).flatMap { Int64($0) } }
        #expect(values.count == notes.count)
        #expect(values == values.sorted() && Set(values).count == values.count && (values.first ?? 0) > 1_700_000_000,
                "\(values)")
        let sequence = notes.compactMap { $0["observe"] as? Int }
        #expect(sequence == sequence.sorted(), "\(sequence)")
        #expect(lines.last { $0.event == "done" }?["notifications"] as? Int == Self.notifications)
    }
}
