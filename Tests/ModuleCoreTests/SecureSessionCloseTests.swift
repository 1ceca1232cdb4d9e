import ATProtocol
import CoAP
import Foundation
import DTLS
import LwM2M
import Runtime
import Testing
@testable import ModuleCore

/// Security mode 0 against an LwM2M server behind a DTLS server, on a virtual network: when the
/// module's session ends, its DTLS session ends with a close_notify the server acts on; a
/// bootstrap that hands out a `coaps://` server is followed with the keys it wrote.
@Suite("Session: DTLS close_notify and bootstrapped keys")
struct SecureSessionCloseTests {
    static let deviceAddress = PeerAddress(host: "10.177.135.245", port: 56830)
    static let serverAddress = PeerAddress(host: "180.101.147.115", port: 5684)
    static let imei = "867724030023557"

    /// The module and a `coaps://` LwM2M server holding the module's key.
    final class Rig {
        let network = VirtualNetwork(seed: 3)
        let device: VirtualHost<ModuleDevice>
        let server: VirtualHost<DTLSServerNode<LwM2MServerNode>>
        private var unread: [String] = []
        private(set) var diagnostics: [String] = []

        init(server machine: LwM2MServer = LwM2MServer(), moreKeys: [PreSharedKey] = [],
             savedState: ModuleState = .defaults) throws {
            let module = EmulatedModule(identity: ModuleIdentity(imei: SecureSessionCloseTests.imei), savedState: savedState)
            device = network.add(ModuleDevice(module: module), at: SecureSessionCloseTests.deviceAddress)
            let keys = [PreSharedKey(identity: SecureSessionCloseTests.imei, text: "Zx9-k3y")] + moreKeys
            let security = try DTLSServer(keys: PreSharedKeyStore(keys))
            server = network.add(DTLSServerNode(LwM2MServerNode(machine: machine, endpoint: CoAPEndpoint(seed: 5)),
                                                security: security), at: SecureSessionCloseTests.serverAddress)
            device.perform { node, now in node.powerOn(now: now).datagrams }
            type("ATE0")
            type("AT+QSCLK=0")
            _ = take()
        }

        @discardableResult
        func type(_ line: String, settle: Int64 = 100) -> [String] {
            device.perform { node, now in
                let out = node.receive(atBytes: Array((line + "\r").utf8), now: now)
                unread += ModuleBench.lines(out.bytes)
                diagnostics += out.diagnostics
                return out.datagrams
            }
            return run(for: settle)
        }

        func run(for milliseconds: Int64) -> [String] {
            network.run(for: milliseconds)
            let out = device.node.takeOutput()
            unread += ModuleBench.lines(out.bytes)
            diagnostics += out.diagnostics
            return take()
        }

        func take() -> [String] {
            defer { unread = [] }
            return unread
        }

        func registered() {
            let config = #"AT+QLACONFIG=0,"180.101.147.115",5684,"\#(SecureSessionCloseTests.imei)",300,0,"\#(SecureSessionCloseTests.imei)","Zx9-k3y""#
            #expect(type(config) == ["OK"])
            #expect(type("AT+QLAADDOBJ=19,0,1,0") == ["OK"])
            #expect(type("AT+QLAREG") == ["OK", "+QLAREG: 0"])
            #expect(server.node.security.isEstablished(SecureSessionCloseTests.deviceAddress))
            _ = server.withNode { node, _ in node.security.takeEvents() }
        }

        /// Record types (the first byte) of what the module sent to the server from `index` on.
        func sentRecordTypes(from index: Int) -> [UInt8] {
            network.log[index...].filter { $0.from == SecureSessionCloseTests.deviceAddress }.compactMap(\.bytes.first)
        }
    }

    @Test func anAnsweredDeregisterIsFollowedByCloseNotify() throws {
        let rig = try Rig()
        rig.registered()
        let mark = rig.network.log.count
        #expect(rig.type("AT+QLADEREG") == ["OK", "+QLADEREG: 0"])
        // Application data (23: the De-register), then one alert (21): the close_notify.
        #expect(rig.sentRecordTypes(from: mark) == [23, 21])
        #expect(rig.server.withNode { node, _ in node.security.takeEvents() } == [.closed(Self.deviceAddress)])
        #expect(!rig.server.node.security.hasSession(Self.deviceAddress), "the server forgot the peer at once")
        #expect(rig.device.node.session.secure == nil)
    }

    @Test func aDeregisterNobodyAnswersStillEndsWithCloseNotify() throws {
        let rig = try Rig()
        rig.registered()
        rig.network.dropFilter = { $0.from == SecureSessionCloseTests.serverAddress }
        let mark = rig.network.log.count
        #expect(rig.type("AT+QLADEREG", settle: 0) == ["OK"])
        let lines = rig.run(for: 600_000)
        #expect(lines == ["+QLADEREG: 1"], "given up: \(lines)")
        let types = rig.sentRecordTypes(from: mark)
        #expect(types.last == 21 && types.dropLast().allSatisfy { $0 == 23 } && types.count > 2,
                "the De-register and its retransmissions, then the close_notify: \(types)")
        #expect(!rig.server.node.security.hasSession(Self.deviceAddress))
    }

    @Test func aResetClosesTheSessionAndTheNextRegistrationHandshakesAfresh() throws {
        let rig = try Rig()
        rig.registered()
        let mark = rig.network.log.count
        _ = rig.type("AT+QRST=1", settle: 10_000)
        #expect(rig.sentRecordTypes(from: mark) == [21])
        #expect(rig.server.withNode { node, _ in node.security.takeEvents() } == [.closed(Self.deviceAddress)])
        _ = rig.type("ATE0")
        _ = rig.type("AT+QSCLK=0")
        #expect(rig.type("AT+QLAREG") == ["OK", "+QLAREG: 0"])
        let events = rig.server.withNode { node, _ in node.security.takeEvents() }
        #expect(events.count == 1)
        guard case .established(let peer, _, _, _, let resumed) = events.first else {
            Issue.record("\(events)")
            return
        }
        #expect(peer == Self.deviceAddress && !resumed)
    }

    @Test func aSessionThatNeverGotUpSaysNothing() throws {
        let rig = try Rig()
        rig.network.dropFilter = { $0.from == SecureSessionCloseTests.serverAddress }
        let config = #"AT+QLACONFIG=0,"180.101.147.115",5684,"\#(Self.imei)",300,0,"\#(Self.imei)","Zx9-k3y""#
        #expect(rig.type(config) == ["OK"])
        #expect(rig.type("AT+QLAREG", settle: 300_000).last == "+QLAREG: 1")
        let mark = rig.network.log.count
        _ = rig.type("AT+QRST=1", settle: 10_000)
        #expect(rig.sentRecordTypes(from: mark).isEmpty, "no close_notify without a session")
    }

    // MARK: Bootstrap

    static let workingKey = PreSharedKey(identity: "working-867724030023557", text: "ws-key-42")

    static func bootstrapping(to uri: String, mode: SecurityMode, psk: PreSharedKey = workingKey) -> LwM2MServer {
        let steps = BootstrapStep.serverAccount(uri: uri, lifetime: 300, binding: "U", securityMode: mode,
                                                pskIdentity: psk.identity, psk: psk.key)
        return LwM2MServer(bootstrap: BootstrapServer(defaultSteps: steps))
    }

    /// Bootstrap over DTLS with the module's key; the working server on the same address
    /// asks for another identity and key, which only the bootstrap gave the module.
    @Test func aCoapsServerIsReachedWithTheIdentityAndKeyTheBootstrapWrote() throws {
        let rig = try Rig(server: Self.bootstrapping(to: "coaps://180.101.147.115:5684", mode: .preSharedKey),
                          moreKeys: [Self.workingKey])
        let config = #"AT+QLACONFIG=1,"180.101.147.115",5684,"\#(Self.imei)",300,0,"\#(Self.imei)","Zx9-k3y""#
        #expect(rig.type(config) == ["OK"])
        #expect(rig.type("AT+QLAADDOBJ=19,0,1,0") == ["OK"])
        let lines = rig.type("AT+QLAREG", settle: 1_000)
        #expect(lines.contains(#"+QLAURC: "bs_finished""#) && lines.last == "+QLAREG: 0", "\(lines)")
        let identities = rig.server.withNode { node, _ in node.security.takeEvents() }.compactMap { e -> String? in
            if case .established(_, let identity, _, _, _) = e { identity } else { nil }
        }
        #expect(identities == [Self.imei, Self.workingKey.identity], "bootstrap, then the working server's account")
        #expect(rig.server.node.inner.machine.registration(endpoint: Self.imei) != nil)
        let module = rig.device.node.module
        #expect(module.configuredServer?.configuration.pskIdentity == Self.workingKey.identity)
        #expect(module.configuredServer?.configuration.securityMode == .preSharedKey)
        // Nothing went in clear: every datagram either way was a DTLS record.
        #expect(rig.network.log.allSatisfy { (20...23).contains($0.bytes.first ?? 0) }, "\(rig.network.log.map(\.bytes.first))")
    }

    /// /0/x/5 is opaque: a key of random bytes, not UTF-8, with a quote, CR and LF among them.
    static let binaryKey = PreSharedKey(identity: "working-867724030023557",
                                        key: [0xFF, 0x22, 0x0D, 0x0A, 0xC3, 0x28, 0x00, 0x80, 0x7F, 0x41, 0xFE, 0x9C])

    @Test func aBinaryKeyTheBootstrapWroteIsKeptForTheNextRegistrationAndAcrossARestart() throws {
        let rig = try Rig(server: Self.bootstrapping(to: "coaps://180.101.147.115:5684", mode: .preSharedKey, psk: Self.binaryKey),
                          moreKeys: [Self.binaryKey])
        let config = #"AT+QLACONFIG=1,"180.101.147.115",5684,"\#(Self.imei)",300,0,"\#(Self.imei)","Zx9-k3y""#
        #expect(rig.type(config) == ["OK"])
        #expect(rig.type("AT+QLAADDOBJ=19,0,1,0") == ["OK"])
        let first = rig.type("AT+QLAREG", settle: 1_000)
        #expect(first.contains(#"+QLAURC: "bs_finished""#) && first.last == "+QLAREG: 0", "\(first)")
        // The next registration goes straight to the coaps:// server with the same bytes.
        #expect(rig.type("AT+QLADEREG").last == "+QLADEREG: 0")
        _ = rig.server.withNode { node, _ in node.security.takeEvents() }
        #expect(rig.type("AT+QLAREG", settle: 1_000) == ["OK", "+QLAREG: 0"])
        let identities = rig.server.withNode { node, _ in node.security.takeEvents() }.compactMap { e -> String? in
            if case .established(_, let identity, _, _, _) = e { identity } else { nil }
        }
        #expect(identities == [Self.binaryKey.identity])
        // One well-formed line: the key in hex, no quote, CR or LF of its own.
        let query = rig.type("AT+QLACONFIG?")
        #expect(query == [#"+QLACONFIG: 0,"180.101.147.115",5684,"\#(Self.imei)",300,0,"working-867724030023557","ff220d0ac3280080"#
                          + #"7f41fe9c",0"#, "OK"], "\(query)")
        guard case .information("QLACONFIG", let values) = ATResponseLine.parse(query.first ?? "") else {
            Issue.record("\(query)")
            return
        }
        #expect(values.count == 9)

        // Power cycle: the state goes through its file, and the module registers with the key.
        let saved = rig.device.node.module.saved
        #expect(saved.workingServer?.keyBytes == Self.binaryKey.key)
        let directory = try PersistenceTests.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = ModuleStateStore(directory: directory)
        try store.save(saved)
        let loaded = store.load()
        #expect(loaded.note == nil && loaded.state == saved)
        let restarted = try Rig(moreKeys: [Self.binaryKey], savedState: loaded.state)
        #expect(restarted.device.node.module.saved.customObjects.count == 1, "object 19 came back from the file")
        #expect(restarted.type("AT+QLAREG", settle: 1_000) == ["OK", "+QLAREG: 0"])
        #expect(restarted.server.node.inner.machine.registration(endpoint: Self.imei) != nil)
    }

    @Test func aPrintableBootstrappedKeyPrintsAsItselfAndNeedsNoBytesInTheFile() throws {
        let server = ServerConfiguration(host: "h", port: 5684, endpoint: "ep", lifetime: 300,
                                         pskIdentity: "id", key: Array("ws-key-42".utf8))
        #expect(server.psk == "ws-key-42" && server.pskKey == nil && server.keyBytes == Array("ws-key-42".utf8))
        #expect(ServerConfiguration.printable(key: Array(#"a"b"#.utf8)) == "612262")
        #expect(ServerConfiguration.printable(key: Array("k\u{e9}y".utf8)) == "6bc3a979", "non-ASCII UTF-8 prints as hex too")
    }

    @Test func aCoapsAccountWithoutAKeyNeverGoesInClear() throws {
        let rig = try Rig(server: Self.bootstrapping(to: "coaps://180.101.147.115:5684", mode: .noSecurity))
        let config = #"AT+QLACONFIG=1,"180.101.147.115",5684,"\#(Self.imei)",300,0,"\#(Self.imei)","Zx9-k3y""#
        #expect(rig.type(config) == ["OK"])
        let lines = rig.type("AT+QLAREG", settle: 1_000)
        #expect(lines.last == "+QLAREG: 900", "\(lines)")
        #expect(rig.network.log.allSatisfy { (20...23).contains($0.bytes.first ?? 0) })
        #expect(rig.diagnostics.contains { $0.contains("only security mode 0 with a PSK identity and key") }, "\(rig.diagnostics)")
        #expect(rig.server.node.inner.machine.registration(endpoint: Self.imei) == nil)
    }

    /// A bootstrap server in clear handing out a `coaps://` server elsewhere.
    @Test func aPlainBootstrapCanHandOutACoapsServer() throws {
        let rig = try Rig(moreKeys: [Self.workingKey])
        let bootstrapAddress = PeerAddress(host: "180.101.147.116", port: 5683)
        rig.network.add(LwM2MServerNode(machine: Self.bootstrapping(to: "coaps://180.101.147.115:5684", mode: .preSharedKey),
                                        endpoint: CoAPEndpoint(seed: 8)), at: bootstrapAddress)
        #expect(rig.type(#"AT+QLACONFIG=1,"180.101.147.116",5683,"\#(Self.imei)",300,3"#) == ["OK"])
        let lines = rig.type("AT+QLAREG", settle: 1_000)
        #expect(lines.last == "+QLAREG: 0", "\(lines)")
        let events = rig.server.withNode { node, _ in node.security.takeEvents() }
        #expect(events.count == 1)
        if case .established(_, let identity, _, _, _) = events.first { #expect(identity == Self.workingKey.identity) }
        #expect(rig.network.log.filter { $0.to == Self.serverAddress }.allSatisfy { (20...23).contains($0.bytes.first ?? 0) })
        #expect(rig.server.node.inner.machine.registration(endpoint: Self.imei) != nil)
    }
}
