import CoAP
import Foundation
import Runtime
import Testing
import TestSupport

/// Our `CoAPEndpoint` as a plain CoAP client of libcoap's example server (`coap-server`,
/// libcoap 4.3.1), over real UDP on loopback. In 4.3.1 the server offers `/` (a text banner),
/// `/time` (observable, changes every second), `/async` and `/example_data` (1500 bytes,
/// observable, replaced by PUT).
@Suite(.serialized) struct OurEndpointAgainstCoapServerTests {
    static let tool = "coap-server-notls"

    /// A running coap-server on a fresh loopback port, and our endpoint on its own socket.
    final class Session {
        let server: ChildProcess
        let peer: PeerAddress
        let rig: NodeOnUDP<CoAPEndpoint>
        var events: [EndpointEvent] = []

        init(seed: UInt64) throws {
            try Interop.requirePeer(OurEndpointAgainstCoapServerTests.tool)
            let port = try Interop.freePort()
            server = try ChildProcess.peer(OurEndpointAgainstCoapServerTests.tool, ["-A", Interop.loopback, "-p", "\(port)"])
            peer = PeerAddress(host: Interop.loopback, port: port)
            rig = try NodeOnUDP(CoAPEndpoint(seed: seed))
            try #require(Interop.waitUntilBound(port), "coap-server did not bind \(port):\n\(server.outputText)")
        }

        func close() {
            rig.close()
            server.stop()
        }

        func pump() {
            rig.pump()
            events += rig.host.withNode { endpoint, _ in endpoint.takeEvents() }
        }

        func send(_ message: Message, confirmable: Bool = true) -> RequestHandle? {
            var handle: RequestHandle?
            rig.host.perform { endpoint, now in
                handle = endpoint.sendRequest(message, to: peer, confirmable: confirmable, now: now)
                return endpoint.takeDatagrams()
            }
            return handle
        }

        func responses(to handle: RequestHandle) -> [Message] {
            events.compactMap { if case .response(let h, let m) = $0, h.id == handle.id { m } else { nil } }
        }

        func failures(of handle: RequestHandle) -> [ExchangeFailure] {
            events.compactMap { if case .requestFailed(let h, let f) = $0, h.id == handle.id { f } else { nil } }
        }

        /// Pumps until `count` responses to `handle` arrived (or it failed), at most `seconds`.
        @discardableResult
        func collect(_ handle: RequestHandle, count: Int = 1, seconds: Double = 3) -> [Message] {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline, responses(to: handle).count < count, failures(of: handle).isEmpty { pump() }
            return responses(to: handle)
        }

        /// The exchange's bookkeeping, to check that nothing is left open.
        var openRequests: Int { rig.host.node.openRequestCount }
    }

    static func get(_ path: [String], token: [UInt8] = [], observe: UInt32? = nil) -> Message {
        var m = Message(type: .confirmable, code: .get, token: Token(token) ?? .empty)
        m.uriPath = path
        m.observe = observe
        return m
    }

    @Test func getTheBanner() throws {
        let session = try Session(seed: 0x5E01)
        defer { session.close() }
        let handle = try #require(session.send(Self.get([])))
        let response = try #require(session.collect(handle).first, "no answer: \(session.events)\n\(session.server.outputText)")
        #expect(response.code == .content)
        #expect(response.type == .acknowledgement, "coap-server piggybacks its answer")
        let text = String(decoding: response.payload, as: UTF8.self)
        #expect(text.contains("This is a test server made with libcoap"), "\(text)")
        #expect(session.openRequests == 0)
    }

    @Test func observeTimeThenCancelWithObserveOne() throws {
        let session = try Session(seed: 0x5E02)
        defer { session.close() }
        let token: [UInt8] = [0x71, 0x6D]
        let handle = try #require(session.send(Self.get(["time"], token: token, observe: 0)))
        // The registration's answer, then two notifications (the clock ticks every second).
        let seen = session.collect(handle, count: 3, seconds: 4)
        #expect(seen.count >= 3, "got \(seen.count): \(session.events)\n\(session.server.outputText)")
        let sequence = seen.compactMap(\.observe)
        #expect(sequence.count == seen.count, "every answer carries Observe")
        #expect(sequence == sequence.sorted() && Set(sequence).count == sequence.count, "\(sequence)")
        #expect(seen.allSatisfy { $0.code == .content && !$0.payload.isEmpty })
        // Each tick is a different second.
        #expect(Set(seen.map(\.payload)).count >= 2)
        // Deregister (RFC 7641 §3.6): GET with Observe 1 and the same token.
        let cancel = try #require(session.send(Self.get(["time"], token: token, observe: 1)))
        let answer = try #require(session.collect(cancel).first, "no answer to the cancellation")
        #expect(answer.code == .content)
        #expect(answer.observe == nil, "a deregistration's answer carries no Observe")
        let before = session.events.count
        // A notification after this would be a response nobody waits for, answered with RST.
        let quiet = Date().addingTimeInterval(1.5)
        while Date() < quiet { session.pump() }
        let later = session.events[before...].filter {
            switch $0 {
            case .response, .dropped: true
            default: false
            }
        }
        #expect(later.isEmpty, "after the cancellation: \(Array(later))")
        #expect(session.openRequests == 0)
    }

    @Test func observeTimeThenForgetItReactively() throws {
        let session = try Session(seed: 0x5E03)
        defer { session.close() }
        let handle = try #require(session.send(Self.get(["time"], token: [0x0B], observe: 0)))
        #expect(session.collect(handle, count: 2, seconds: 3).count >= 2)
        // Forget it locally: the next notification meets RST, and coap-server stops sending.
        session.rig.host.perform { endpoint, _ in
            endpoint.cancel(handle)
            return endpoint.takeDatagrams()
        }
        let unwanted = { session.events.filter { if case .dropped(_, .unexpectedResponse) = $0 { true } else { false } }.count }
        let reset = Date().addingTimeInterval(2)
        while Date() < reset, unwanted() == 0 { session.pump() }
        #expect(unwanted() == 1, "the next notification is answered with RST: \(session.events)")
        let quiet = Date().addingTimeInterval(1.5)
        while Date() < quiet { session.pump() }
        #expect(unwanted() == 1, "coap-server kept notifying after RST: \(session.events)")
    }

    @Test func blockwiseGetThenPutAndGetExampleData() throws {
        let session = try Session(seed: 0x5E04)
        defer { session.close() }
        // 1500 bytes in 64-byte blocks, asked for from the first request on (RFC 7959 §2.4).
        var download = Block2Download(request: Self.get(["example_data"]), preferredSzx: 2)
        var next: Message? = download.firstRequest
        var exchanges = 0
        var body: Message?
        while let request = next, exchanges < 40 {
            next = nil
            exchanges += 1
            let handle = try #require(session.send(request))
            let response = try #require(session.collect(handle).first, "no block after \(exchanges): \(session.events)")
            switch download.receive(response) {
            case .request(let m): next = m
            case .complete(let whole): body = whole
            case .duplicate: Issue.record("duplicate block \(String(describing: response.block2))")
            case .failed(let e): Issue.record("block-wise failed: \(e)")
            }
        }
        let whole = try #require(body)
        #expect(exchanges == (1500 + 63) / 64)
        // libcoap's example data: "a123456789b123456789…", the letter cycling a to z.
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        let expected = (0..<150).flatMap { Array("\(letters[$0 % 26])123456789".utf8) }
        #expect(whole.payload == expected)

        var put = Message(type: .confirmable, code: .put)
        put.uriPath = ["example_data"]
        put.contentFormat = 0
        let text = "bc260 interop \(UInt32.random(in: 0...UInt32.max))"
        put.payload = Array(text.utf8)
        let putHandle = try #require(session.send(put))
        #expect(session.collect(putHandle).first?.code == .changed)

        let getHandle = try #require(session.send(Self.get(["example_data"])))
        let got = try #require(session.collect(getHandle).first)
        #expect(got.code == .content)
        #expect(String(decoding: got.payload, as: UTF8.self) == text)
        #expect(got.block2 == nil, "a short body comes whole")
        #expect(session.openRequests == 0)
    }
}
