import CoAP
import Foundation
import LwM2M
import Runtime
import Testing
import TestSupport

/// Records what the node it wraps sends, so a test can look at the blocks on the wire.
struct RecordingNode<Inner: DatagramNode>: DatagramNode {
    var inner: Inner
    var sent: [Message] = []

    mutating func receive(_ datagram: Datagram, now: Instant) -> [Datagram] { record(inner.receive(datagram, now: now)) }
    mutating func advance(to now: Instant) -> [Datagram] { record(inner.advance(to: now)) }
    var nextDeadline: Instant? { inner.nextDeadline }

    private mutating func record(_ out: [Datagram]) -> [Datagram] {
        sent += out.compactMap { try? Message(decoding: $0.bytes) }
        return out
    }
}

/// libcoap's `coap-client -b 64` reads /3/0 from our LwM2M client node on a real UDP socket:
/// the client must answer every block at the 64 bytes asked for from the first request on.
@Suite(.serialized) struct BlockwiseCoapClientTests {
    @Test func coapClientDashB64ReadsDeviceInstanceInSixtyFourByteBlocks() throws {
        #expect(ChildProcess.exists("coap-client-notls"), "libcoap3-bin is needed (make test installs it)")
        // The port coap-client will listen on stands for the LwM2M server's address.
        let probe = try UDPSocket(bindingTo: PeerAddress(host: "127.0.0.1", port: 0))
        let serverPort = probe.localAddress.port
        probe.close()
        let server = PeerAddress(host: "127.0.0.1", port: serverPort)

        var profile = ModuleProfile(imei: "863663040000001")
        profile.lifetime = 300
        var objects = ObjectTree(profile: profile)
        try objects.setValue(.string(String(repeating: "Quectel ", count: 40)), at: LwM2MPath(3, 0, 0))
        let expected = try objects.read(LwM2MPath(3, 0), accept: .tlv).bytes
        #expect(expected.count > 320)

        let loop = EventLoop()
        let socket = try UDPSocket(bindingTo: PeerAddress(host: "127.0.0.1", port: 0))
        let node = LwM2MClientNode(machine: LwM2MClient(configuration: ClientConfiguration(endpoint: "dev", server: server),
                                                        objects: objects),
                                   endpoint: CoAPEndpoint(seed: 5))
        let host = UDPHost(node: RecordingNode(inner: node), socket: socket, loop: loop)
        defer { host.close() }
        // The Register goes nowhere useful; it only makes `server` the peer the client serves.
        host.perform { n, now in n.inner.command(now: now) { $0.start(now: now) } }

        let output = FileManager.default.temporaryDirectory.appendingPathComponent("bc260-block-\(serverPort).bin")
        try? FileManager.default.removeItem(at: output)
        let peer = try ChildProcess(executable: "coap-client-notls", ["-p", "\(serverPort)", "-b", "64", "-B", "10", "-A", "11542",
                                                                      "-o", output.path, "coap://127.0.0.1:\(socket.localAddress.port)/3/0"])
        defer { peer.terminate() }
        let ended = peer.waitForExit(seconds: 15) { _ = try? loop.runOnce(maximumWait: 5) } != nil
        #expect(ended, "coap-client did not finish: \(peer.outputText) \(peer.errorText)")

        let body = try Data(contentsOf: output)
        #expect(Array(body) == expected)
        let answers = host.node.sent.filter { $0.uriPath.isEmpty && $0.code == .content }
        #expect(answers.count == BlockOption.blockCount(bodyLength: expected.count, szx: 2))
        #expect(answers.allSatisfy { $0.block2?.size == 64 && $0.payload.count <= 64 })
    }
}
