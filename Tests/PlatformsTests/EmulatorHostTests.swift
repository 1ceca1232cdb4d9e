import CoAP
import Foundation
import LwM2M
import ModuleCore
import Runtime
import Testing
@testable import Platforms

/// ``EmulatorHost`` in real time on loopback: the module registers with a real LwM2M server
/// node on a UDP socket, reached through a remap or a host name resolved at the edge. Every
/// wait is bounded.
@Suite("EmulatorHost: the emulator on a real socket", .serialized)
struct EmulatorHostTests {
    static let imei = "867724030023557"

    /// A host, a real server on 127.0.0.1, and everything the host reported.
    final class Rig {
        let loop = EventLoop()
        let server: UDPHost<LwM2MServerNode>
        let host: EmulatorHost
        var output = ""
        var diagnostics: [String] = []
        var problems: [String] = []
        var platformLines: [Emulator.LogLine] = []
        var states: [ModuleState] = []

        init(configuration: (PeerAddress) -> Emulator.Configuration, stateStore: ModuleStateStore? = nil,
             resolver: ((String, UInt16) throws(SocketError) -> [PeerAddress])? = nil) throws {
            let serverSocket = try UDPSocket(bindingTo: PeerAddress(host: "127.0.0.1", port: 0))
            server = UDPHost(node: LwM2MServerNode(machine: LwM2MServer(), endpoint: CoAPEndpoint(seed: 11)),
                             socket: serverSocket, loop: loop)
            let emulator = Emulator(configuration: configuration(serverSocket.localAddress))
            if let resolver {
                host = try EmulatorHost(emulator: emulator, loop: loop, bindingTo: PeerAddress(host: "127.0.0.1", port: 0),
                                        stateStore: stateStore, resolver: resolver)
            } else {
                host = try EmulatorHost(emulator: emulator, loop: loop, bindingTo: PeerAddress(host: "127.0.0.1", port: 0),
                                        stateStore: stateStore)
            }
            host.onATOutput = { [unowned self] in self.output += String(decoding: $0, as: UTF8.self) }
            host.onDiagnostic = { [unowned self] in self.diagnostics.append($0) }
            host.onProblem = { [unowned self] in self.problems.append($0) }
            host.onPlatformLines = { [unowned self] in self.platformLines += $0 }
            host.onStateToSave = { [unowned self] in self.states.append($0) }
            host.powerOn()
        }

        func close() {
            host.close()
            server.close()
        }

        /// Types `line`, then runs the loop until the output holds `expected` (at most `timeout` ms).
        @discardableResult
        func type(_ line: String, until expected: String, timeout: Int64 = 3_000) throws -> Bool {
            host.receive(atBytes: Array((line + "\r").utf8))
            return try loop.run(until: { self.output.contains(expected) }, timeout: timeout)
        }
    }

    @Test func aRemapSendsCTsAddressToARealServer() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bc260-emulator-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = ModuleStateStore(directory: directory)
        let rig = try Rig(configuration: { server in
            Emulator.Configuration(remaps: [AddressRemap(from: PeerAddress(host: "180.101.147.115", port: 5683), to: server)])
        }, stateStore: store)
        defer { rig.close() }
        #expect(try rig.loop.run(until: { rig.output.contains("+CPIN: READY") }, timeout: 1_000))
        #expect(try rig.type("AT+QLACONFIG=0,\"180.101.147.115\",5683,\"\(Self.imei)\",300,3", until: "OK"))
        #expect(try rig.type("AT+QLAADDOBJ=19,0,1,0", until: "AT+QLAADDOBJ=19,0,1,0\r\r\nOK"))
        #expect(try rig.type("AT+QLAREG", until: "+QLAREG: "))
        #expect(rig.output.hasSuffix("AT+QLAREG\r\r\nOK\r\n\r\n+QLAREG: 0\r\n"), "\(rig.output)")

        // The real server holds the registration, from the host's socket; the embedded CT
        // platform never heard of it.
        let registration = try #require(rig.server.node.machine.registration(endpoint: Self.imei))
        #expect(registration.peer == rig.host.localAddress)
        #expect(registration.objectPaths.contains(LwM2MPath(19, 0)))
        #expect(rig.host.emulator.platform(.ctIoT)?.registrations.isEmpty == true)
        #expect(rig.platformLines.isEmpty)

        // A request from the real server reaches the module as from 180.101.147.115 and is
        // answered back through the remap.
        rig.output = ""
        rig.server.perform { node, now in
            node.command(now: now) { $0.perform(.observe(LwM2MPath(19, 0, 0)), on: Self.imei, now: now) }.1
        }
        #expect(try rig.loop.run(until: { rig.output.contains("+QLAURC: \"observe\"") }, timeout: 3_000), "\(rig.output)")

        // The saved state went to the file.
        #expect(store.load().state.workingServer?.host == "180.101.147.115")
        #expect(rig.states.last?.workingServer?.port == 5683)
        #expect(try rig.type("AT+QLADEREG", until: "+QLADEREG: "))
        #expect(rig.output.contains("+QLADEREG: 0"))
        #expect(rig.server.node.machine.registration(endpoint: Self.imei) == nil)
    }

    @Test func aHostNameIsResolvedAtTheEdgeAndAnswersComeBackUnderIt() throws {
        var lookups: [String] = []
        var serverAddress: PeerAddress?
        let rig = try Rig(configuration: { server in
            serverAddress = server
            return Emulator.Configuration()
        }, resolver: { host, port throws(SocketError) in
            lookups.append(host)
            guard host == "lwm2m.example.test", let serverAddress else { throw SocketError.resolution(host: host, code: -2) }
            return [PeerAddress(host: "::1", port: port), PeerAddress(host: "127.0.0.1", port: serverAddress.port)]
        })
        defer { rig.close() }
        let port = try #require(serverAddress?.port)
        #expect(try rig.type("AT+QLACONFIG=0,\"lwm2m.example.test\",\(port),\"\(Self.imei)\",300,3", until: "OK"))
        #expect(try rig.type("AT+QLAREG", until: "+QLAREG: "))
        #expect(rig.output.contains("+QLAREG: 0"), "\(rig.output) \(rig.diagnostics)")
        // The IPv4 socket skipped the IPv6 address; one lookup served the whole exchange.
        #expect(rig.server.node.machine.registration(endpoint: Self.imei)?.peer == rig.host.localAddress)
        #expect(try rig.type("AT+QLAUPDATE=0,100", until: "+QLAUPDATE: "))
        #expect(rig.output.contains("+QLAUPDATE: 0,"))
        #expect(lookups == ["lwm2m.example.test"])
    }

    @Test func aNameThatDoesNotResolveEndsInATimeoutAndIsReportedAsAProblem() throws {
        var lookups = 0
        let rig = try Rig(configuration: { _ in Emulator.Configuration() }, resolver: { host, _ throws(SocketError) in
            lookups += 1
            throw SocketError.resolution(host: host, code: -2)
        })
        defer { rig.close() }
        // The shortest schedule the module allows: one 2 s wait, no retransmission.
        #expect(try rig.type("AT+QLACFG=\"retransmit\",2,0", until: "OK"))
        #expect(try rig.type("AT+QLACONFIG=0,\"nowhere.invalid\",5683,\"\(Self.imei)\",300,3", until: "300,3\r\r\nOK"))
        let started = rig.loop.now
        #expect(try rig.type("AT+QLAREG", until: "+QLAREG: ", timeout: 5_000))
        #expect(rig.output.contains("+QLAREG: 1"), "\(rig.output)")
        #expect(rig.loop.now - started >= 2_000)
        #expect(lookups == 1)
        // A problem, not a detail: `serve` shows problems even without --verbose.
        #expect(rig.problems.contains { $0.contains("nowhere.invalid:5683 is dropped") && $0.contains("result code 1") },
                "\(rig.problems)")
        #expect(!rig.diagnostics.contains { $0.contains("nowhere.invalid") })
    }
}
