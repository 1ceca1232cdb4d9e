import CoAP
import Foundation
import LwM2M
import Runtime
import Testing
import TestSupport

/// `bc260 platform` as a person runs it: a real process on a real UDP port, driven by lines on
/// stdin, with our LwM2M client registering to it over loopback.
@Suite(.serialized) struct PlatformProcessTests {
    /// A free loopback port: bound, read back and released (a tiny race, fine on a test machine).
    static func freePort() throws -> UInt16 {
        let probe = try UDPSocket(bindingTo: PeerAddress(host: "127.0.0.1", port: 0))
        defer { probe.close() }
        return probe.localAddress.port
    }

    @Test func aClientRegistersAndThePlatformReadsWritesAndObservesIt() throws {
        let port = try Self.freePort()
        let platform = try ChildProcess(["platform", "--listen", "127.0.0.1:\(port)"], mergingErrors: true)
        defer { platform.terminate() }
        #expect(platform.waitFor(seconds: 10) { $0.contains { $0.contains("listening on 127.0.0.1:\(port)") } })

        let loop = EventLoop()
        var profile = ModuleProfile(imei: "867724030023557")
        profile.lifetime = 300
        var objects = ObjectTree(profile: profile)
        objects.define(.binaryAppDataContainer)
        try objects.setInstance(ObjectInstance(id: 0, resources: [.multiple(0, [0: .opaque([0x51, 0x45])])]), of: 19)
        let configuration = ClientConfiguration(endpoint: "dev1", server: PeerAddress(host: "127.0.0.1", port: port))
        let client = UDPHost(node: LwM2MClientNode(machine: LwM2MClient(configuration: configuration, objects: objects),
                                                   endpoint: CoAPEndpoint(seed: 5)),
                             socket: try UDPSocket(bindingTo: PeerAddress(host: "127.0.0.1", port: 0)), loop: loop)
        defer { client.close() }
        let pump = { _ = try? loop.run(until: { false }, timeout: 20) }
        client.perform { node, now in node.command(now: now) { $0.start(now: now) } }
        #expect(platform.waitFor(seconds: 5, pump: pump) { $0.contains { $0.contains("registered dev1") } })

        platform.send("read dev1 /3/0\n")
        #expect(platform.waitFor(seconds: 5, pump: pump) { $0.contains { $0.contains("/3/0/0 = \"Quectel\"") } })
        #expect(platform.lines.contains { $0.contains("/3/0/1 = \"BC260Y-CN\"") })

        platform.send("write 1 /19/0/0 0x0102\n")
        #expect(platform.waitFor(seconds: 5, pump: pump) { $0.contains { $0.contains("Write /19/0/0 on dev1: 2.04") } })
        let written = client.withNode { node, _ in node.machine.objects.value(at: LwM2MPath(19, 0, 0, 0)) }
        #expect(written == .opaque([1, 2]))

        // A garbled datagram is logged with its reason, and the platform carries on.
        let stranger = try UDPSocket(bindingTo: PeerAddress(host: "127.0.0.1", port: 0))
        try stranger.send(Datagram([0x40, 0x01, 0x00, 0x07, 0xFF], peer: PeerAddress(host: "127.0.0.1", port: port)))
        #expect(platform.waitFor(seconds: 5, pump: pump) {
            $0.contains { $0.contains("dropped datagram from 127.0.0.1:\(stranger.localAddress.port): malformed: payload marker with no payload") }
        })

        platform.send("reed dev1 /3/0\n")
        #expect(platform.waitFor(seconds: 5, pump: pump) { $0.contains { $0.contains("unknown command 'reed'") } })

        platform.send("quit\n")
        #expect(ChildProcess.exitedCleanly(platform.waitForExit(seconds: 5, pump: pump)))
    }

    @Test func aBadListenAddressIsAClearError() throws {
        let platform = try ChildProcess(["platform", "--listen", "203.0.113.7:5683"], mergingErrors: true)
        platform.closeInput()
        let status = platform.waitForExit(seconds: 10)
        #expect(status != nil && !ChildProcess.exitedCleanly(status))
        #expect(platform.outputText.contains("cannot listen on 203.0.113.7:5683"))
    }
}
