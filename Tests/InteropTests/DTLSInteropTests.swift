import CoAP
import DTLS
import Foundation
import LwM2M
import Runtime
import Testing
import TestSupport

/// DTLS with pre-shared keys against libcoap's OpenSSL builds (`coap-server-openssl`,
/// `coap-client-openssl`, libcoap 4.3.1) and against `bc260 platform --psk`, over real UDP on
/// loopback. libcoap takes `-k` as the key's text and `-u` as the identity, as the module does.
@Suite(.serialized) struct DTLSInteropTests {
    static let identity = "bc260-interop"
    static let key = "Lo0pback-k3y"
    static var psk: PreSharedKey { PreSharedKey(identity: identity, text: key) }

    @Test func ourClientReadsCoapServerAfterTheHandshake() throws {
        try Interop.requirePeer("coap-server-openssl")
        let port = try Interop.freePort()
        // coaps is on port + 1.
        let server = try ChildProcess.peer("coap-server-openssl", ["-A", Interop.loopback, "-p", "\(port)", "-k", Self.key])
        defer { server.stop() }
        let secure = PeerAddress(host: Interop.loopback, port: port + 1)
        try #require(Interop.waitUntilBound(port + 1), "coap-server did not bind \(port + 1):\n\(server.outputText)")
        let channel = try DTLSClientChannel(server: secure, credentials: Self.psk)
        let rig = try NodeOnUDP(DTLSClientNode(CoAPEndpoint(seed: 0xD7), channel: channel))
        defer { rig.close() }
        var handle: RequestHandle?
        rig.host.perform { node, now in
            node.perform(now: now) { endpoint, now in
                handle = endpoint.sendRequest(Message(type: .confirmable, code: .get), to: secure, confirmable: true, now: now)
                return endpoint.takeDatagrams()
            }
        }
        var events: [EndpointEvent] = []
        let answered = rig.pump(seconds: 3) {
            events += rig.host.withNode { node, _ in node.inner.takeEvents() }
            return events.contains { if case .response(let h, _) = $0 { h.id == handle?.id } else { false } }
        }
        #expect(answered, "no answer over DTLS: \(events), \(channel.state)\n\(server.outputText)")
        let response = events.compactMap { if case .response(_, let m) = $0 { m } else { nil } }.first
        #expect(response?.code == .content)
        let text = String(decoding: response?.payload ?? [], as: UTF8.self)
        #expect(text.contains("This is a test server made with libcoap"), "\(text)")
        #expect(channel.session.protocolVersion == "DTLSv1.2")
        #expect(channel.session.cipher == "PSK-AES128-CCM8")
    }

    @Test func ourClientWithTheWrongKeyGetsNothing() throws {
        try Interop.requirePeer("coap-server-openssl")
        let port = try Interop.freePort()
        let server = try ChildProcess.peer("coap-server-openssl", ["-A", Interop.loopback, "-p", "\(port)", "-k", Self.key])
        defer { server.stop() }
        let secure = PeerAddress(host: Interop.loopback, port: port + 1)
        try #require(Interop.waitUntilBound(port + 1))
        // Short waits: the handshake gives up after 50 + 100 ms of silence.
        let channel = try DTLSClientChannel(server: secure, credentials: PreSharedKey(identity: Self.identity, text: "wrong"),
                                            configuration: DTLSConfiguration(initialTimeout: 50, maximumRetransmissions: 1))
        let rig = try NodeOnUDP(DTLSClientNode(CoAPEndpoint(seed: 0xD8), channel: channel))
        defer { rig.close() }
        rig.host.perform { node, now in
            node.perform(now: now) { endpoint, now in
                _ = endpoint.sendRequest(Message(type: .confirmable, code: .get), to: secure, confirmable: true, now: now)
                return endpoint.takeDatagrams()
            }
        }
        let ended = rig.pump(seconds: 3) { channel.failure != nil }
        #expect(ended, "\(channel.state)")
        #expect(rig.host.withNode { node, _ in node.inner.takeEvents() }.allSatisfy { if case .response = $0 { false } else { true } })
    }

    @Test func coapClientReadsOurClientOverDTLS() throws {
        try Interop.requirePeer("coap-client-openssl")
        let configuration = ClientConfiguration(endpoint: "bc260-interop", servesAnyPeer: true)
        let client = LwM2MClientNode(machine: LwM2MClient(configuration: configuration, objects: Interop.moduleObjects()),
                                     endpoint: CoAPEndpoint(seed: 0xD9))
        let rig = try NodeOnUDP(DTLSServerNode(client, security: try DTLSServer(keys: PreSharedKeyStore([Self.psk]))))
        defer { rig.close() }
        let out = Interop.scratchFile("dtls-manufacturer")
        defer { try? FileManager.default.removeItem(at: out) }
        let peer = try ChildProcess.runToEnd("coap-client-openssl", [
            "-B", "4", "-k", Self.key, "-u", Self.identity, "-m", "get", "-o", out.path,
            "coaps://\(Interop.loopback):\(rig.address.port)/3/0/0",
        ], pump: rig.pump)
        #expect(peer.exitCode == 0, "\(peer.outputText)")
        #expect(String(decoding: (try? Data(contentsOf: out)) ?? Data(), as: UTF8.self) == "Quectel", "\(peer.outputText)")
        let events = rig.host.withNode { node, _ in node.security.takeEvents() }
        #expect(events.contains { if case .established(_, identity: Self.identity, _, _, _) = $0 { true } else { false } }, "\(events)")
    }

    @Test func aClientRegistersWithBC260PlatformOverDTLS() throws {
        let port = try Interop.freePort()
        let platform = try ChildProcess(["platform", "--listen", "127.0.0.1:\(port)", "--psk", "\(Self.identity):\(Self.key)"],
                                        mergingErrors: true)
        defer { platform.terminate() }
        #expect(platform.waitFor(seconds: 10) { $0.contains { $0.contains("DTLS-PSK on 127.0.0.1:\(port + 1)") } },
                "\(platform.outputText)")
        #expect(!platform.outputText.contains(Self.key), "the key is never printed")
        let secure = PeerAddress(host: "127.0.0.1", port: port + 1)
        let configuration = ClientConfiguration(endpoint: "dev-dtls", server: secure)
        let client = LwM2MClientNode(machine: LwM2MClient(configuration: configuration, objects: Interop.moduleObjects()),
                                     endpoint: CoAPEndpoint(seed: 0xDA))
        let rig = try NodeOnUDP(DTLSClientNode(client, channel: try DTLSClientChannel(server: secure, credentials: Self.psk)))
        defer { rig.close() }
        rig.host.perform { node, now in node.perform(now: now) { client, now in client.command(now: now) { $0.start(now: now) } } }
        #expect(platform.waitFor(seconds: 5, pump: rig.pump) { $0.contains { $0.contains("registered dev-dtls") } },
                "\(platform.outputText)")
        #expect(platform.lines.contains { $0.contains("handshake done, identity \"\(Self.identity)\", DTLSv1.2") })
        platform.send("read dev-dtls /3/0/0\n")
        #expect(platform.waitFor(seconds: 5, pump: rig.pump) { $0.contains { $0.contains("/3/0/0 = \"Quectel\"") } },
                "\(platform.outputText)")
        platform.send("quit\n")
        #expect(ChildProcess.exitedCleanly(platform.waitForExit(seconds: 5, pump: rig.pump)))
        #expect(!platform.outputText.contains(Self.key))
    }

    @Test func serveRegistersWithARealServerOverDTLS() throws {
        // `bc260 serve` with security mode 0 to an address that is no embedded platform: the
        // module's own DTLS goes out of serve's UDP socket to a DTLS LwM2M server in this test.
        let imei = "867724030023557"
        let loop = EventLoop()
        let security = try DTLSServer(keys: PreSharedKeyStore([PreSharedKey(identity: imei, text: Self.key)]))
        let server = UDPHost(node: DTLSServerNode(LwM2MServerNode(machine: LwM2MServer(), endpoint: CoAPEndpoint(seed: 12)),
                                                  security: security),
                             socket: try UDPSocket(bindingTo: PeerAddress(host: "127.0.0.1", port: 0)), loop: loop)
        defer { server.close() }
        let pump = { _ = try? loop.run(until: { false }, timeout: 20) }
        let directory = try TemporaryDirectory(prefix: "bc260-serve-")
        let serve = try ChildProcess(["serve", "--stdio", "--latency", "0", "--state", directory.path])
        defer { serve.terminate() }
        #expect(serve.readLines(count: 3) == ["RDY", "+CFUN: 1", "+CPIN: READY"], "\(serve.errorText)")
        serve.send("ATE0\r" + #"AT+QLACONFIG=0,"127.0.0.1","# + "\(server.socket.localAddress.port),\"\(imei)\",300,0,\"\(imei)\",\"\(Self.key)\"\r"
            + "AT+QLAREG\r")
        #expect(serve.waitFor(seconds: 10, pump: pump) { $0.contains { $0.hasPrefix("+QLAREG: ") } }, "\(serve.lines) \(serve.errorText)")
        #expect(serve.lines.last == "+QLAREG: 0", "\(serve.lines) \(serve.errorText)")
        #expect(server.node.inner.machine.registration(endpoint: imei) != nil)
        let events = server.withNode { node, _ in node.security.takeEvents() }
        #expect(events.contains { if case .established(_, identity: imei, version: "DTLSv1.2", _, _) = $0 { true } else { false } },
                "\(events)")
        serve.send("AT+QLADEREG\r")
        #expect(serve.waitFor(seconds: 10, pump: pump) { $0.contains { $0.hasPrefix("+QLADEREG: ") } }, "\(serve.lines)")
        #expect(serve.lines.last == "+QLADEREG: 0")
        #expect(server.node.inner.machine.registration(endpoint: imei) == nil)
        serve.closeInput()
        #expect(ChildProcess.exitedCleanly(serve.waitForExit()), "\(serve.errorText)")
        #expect(!serve.errorText.contains(Self.key), "no diagnostic prints the key")
    }
}
