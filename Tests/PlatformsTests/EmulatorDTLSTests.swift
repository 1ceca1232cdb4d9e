import CoAP
import DTLS
import LwM2M
import ModuleCore
import Testing
@testable import Platforms

/// Security mode 0: the module registers over DTLS with its PSK_ID and PSK to the embedded CT
/// IoT platform's secure port (180.101.147.115:5684), in virtual time.
@Suite("Emulator: security mode 0 (DTLS-PSK)")
struct EmulatorDTLSTests {
    static let imei = EmulatorCTIoTTests.imei
    static let psk = "Zx9-k3y-0123"

    /// Configured for security mode 0 and registered; returns the observe's message id.
    static func registeredSecurely(_ bench: inout EmulatorBench, version: Int = 2, mode: Int = 0) throws -> Int {
        EmulatorCTIoTTests.initialised(&bench)
        #expect(bench.type(#"AT+QLACFG="dtls_version",\#(version)"#).last == "OK")
        #expect(bench.type(#"AT+QLACFG="dtls_mode",\#(mode)"#).last == "OK")
        let config = #"AT+QLACONFIG=0,"180.101.147.115",5684,"\#(imei)",300,0,"\#(imei)","\#(psk)""#
        #expect(bench.type(config) == [config, "OK"])
        #expect(bench.type("AT+QLAADDOBJ=19,0,1,0").last == "OK")
        #expect(bench.type("AT+QLAADDOBJ=19,1,1,0").last == "OK")
        return try EmulatorCTIoTTests.register(&bench)
    }

    @Test func registersObservesAndNotifiesOverDTLS() throws {
        var bench = EmulatorBench()
        let observeID = try Self.registeredSecurely(&bench)
        let platform = try #require(bench.emulator.platform(.ctIoT))
        #expect(platform.registrations.first?.endpoint == Self.imei)
        #expect(platform.isSecure(bench.emulator.address), "the platform speaks DTLS with the module")
        #expect(platform.pskIdentities == [Self.imei], "provisioned from the module's configuration")
        let texts = bench.takePlatformTexts()
        #expect(texts.contains(#"dtls: PSK identity "\#(Self.imei)" provisioned (12-byte key)"#), "\(texts)")
        #expect(texts.contains(#"dtls: 10.177.135.245:56830 handshake done, identity "\#(Self.imei)", DTLSv1.2 PSK-AES128-CCM8"#),
                "\(texts)")

        EmulatorCTIoTTests.answerObserve(&bench, observeID)
        _ = try EmulatorCTIoTTests.notifyConfirmable(&bench, #"AT+QLANOTIFY=19,0,0,2,9,"020001000400023438",0,1"#)
        #expect(bench.takePlatformTexts().contains("notification #1 /19/0/0 from \(Self.imei) (seq 1)"))
        // A downlink from the platform's console goes sealed, and the module reports it.
        let reply = bench.platform("write \(Self.imei) /19/1/0 0x0102", on: .ctIoT)
        #expect(reply.first?.contains("sent (DTLS)") == true, "\(reply)")
        #expect(bench.run(for: 100).contains { $0.hasPrefix(#"+QLAURC: "write","#) })
        // The key is in no log line and no diagnostic.
        let everything = bench.platformLines.map(\.description) + bench.diagnostics
        #expect(!everything.contains { $0.contains(Self.psk) })
        #expect(bench.external.isEmpty, "nothing left the emulator")
    }

    @Test(arguments: [(0, "DTLSv1"), (1, "DTLSv1.2"), (2, "DTLSv1.2")])
    func dtlsVersion(setting: Int, expected: String) throws {
        var bench = EmulatorBench()
        _ = try Self.registeredSecurely(&bench, version: setting)
        let texts = bench.takePlatformTexts()
        #expect(texts.contains { $0.contains("handshake done") && $0.contains(", \(expected) PSK-") }, "\(texts)")
    }

    @Test func aPlatformThatDoesNotKnowTheKeyRefusesTheRegistration() throws {
        var bench = EmulatorBench(Emulator.Configuration(trustsModuleKey: false))
        EmulatorCTIoTTests.initialised(&bench)
        let config = #"AT+QLACONFIG=0,"180.101.147.115",5684,"\#(Self.imei)",300,0,"\#(Self.imei)","\#(Self.psk)""#
        #expect(bench.type(config).last == "OK")
        #expect(bench.type("AT+QLAREG") == ["AT+QLAREG", "OK", "+QLAREG: 900"])
        #expect(bench.emulator.module.status != .registered)
        #expect(bench.emulator.platform(.ctIoT)?.registrations.isEmpty == true)
        let texts = bench.takePlatformTexts()
        #expect(texts.contains { $0.contains("failed: DTLS alert sent: unknown PSK identity") }, "\(texts)")
        #expect(bench.diagnostics.contains { $0.contains("unknown PSK identity") && !$0.contains(Self.psk) }, "\(bench.diagnostics)")
    }

    @Test func aKeyProvisionedOnThePlatformIsAccepted() throws {
        var bench = EmulatorBench(Emulator.Configuration(keys: [PreSharedKey(identity: Self.imei, text: Self.psk)],
                                                         trustsModuleKey: false))
        _ = try Self.registeredSecurely(&bench)
        #expect(bench.emulator.platform(.ctIoT)?.isSecure(bench.emulator.address) == true)
    }

    @Test(arguments: [(0, "handshake done"), (1, "resumed its session")])
    func wakingFromDeepSleepHandshakesAgain(mode: Int, expected: String) throws {
        var bench = EmulatorBench()
        let observeID = try Self.registeredSecurely(&bench, mode: mode)
        EmulatorCTIoTTests.answerObserve(&bench, observeID)
        _ = bench.takePlatformTexts()
        #expect(bench.type("AT+QSCLK=1").last == "OK")
        #expect(bench.run(for: 10_000) == [#"+QNBIOEVENT: "ENTER DEEPSLEEP""#])
        // The note's order (4.2.2): the waking line is echoed and answered after "recovered".
        #expect(bench.type("AT+QSCLK=0") == [#"+QNBIOEVENT: "EXIT DEEPSLEEP""#, #"+QLAURC: "recovered",0"#, "AT+QSCLK=0", "OK"])
        let texts = bench.takePlatformTexts()
        #expect(texts.filter { $0.hasPrefix("dtls: 10.177.135.245:56830 \(expected)") }.count == 1, "\(texts)")
        // The observation from before the sleep carries on over the new DTLS session.
        _ = try EmulatorCTIoTTests.notifyConfirmable(&bench, #"AT+QLANOTIFY=19,0,0,2,9,"020001000400023438",0,1"#)
        #expect(bench.takePlatformTexts().contains("notification #1 /19/0/0 from \(Self.imei) (seq 1)"))
    }

    @Test func deregisteringClosesTheDTLSSessionAndTheNextRegistrationHandshakesAfresh() throws {
        var bench = EmulatorBench()
        EmulatorCTIoTTests.answerObserve(&bench, try Self.registeredSecurely(&bench))
        _ = bench.takePlatformTexts()
        #expect(bench.type("AT+QLADEREG") == ["AT+QLADEREG", "OK", "+QLADEREG: 0"])
        let texts = bench.takePlatformTexts()
        let deregistered = try #require(texts.firstIndex(of: "deregistered \(Self.imei)"), "\(texts)")
        let closed = try #require(texts.firstIndex(of: "dtls: 10.177.135.245:56830 closed its session"), "\(texts)")
        #expect(deregistered < closed, "close_notify after the De-register's answer")
        let platform = try #require(bench.emulator.platform(.ctIoT))
        #expect(!platform.isSecure(bench.emulator.address))
        _ = try EmulatorCTIoTTests.register(&bench)
        let again = bench.takePlatformTexts()
        #expect(again.filter { $0.hasPrefix("dtls: 10.177.135.245:56830 handshake done") }.count == 1, "\(again)")
        #expect(bench.emulator.platform(.ctIoT)?.isSecure(bench.emulator.address) == true)
    }

    @Test func aResetClosesTheDTLSSession() throws {
        var bench = EmulatorBench()
        EmulatorCTIoTTests.answerObserve(&bench, try Self.registeredSecurely(&bench))
        _ = bench.takePlatformTexts()
        _ = bench.type("AT+QRST=1", settle: 10_000)
        #expect(bench.takePlatformTexts() == ["dtls: 10.177.135.245:56830 closed its session"])
        #expect(bench.emulator.platform(.ctIoT)?.isSecure(bench.emulator.address) == false)
    }

    @Test func andlinkBootstrappedOverDTLSHandsOutACoapsServerAndTheModuleRegistersOverDTLS() throws {
        let imei = EmulatorAEPAndAndlinkTests.andlinkIMEI
        var bench = EmulatorBench(Emulator.Configuration(identity: ModuleIdentity(imei: imei)))
        EmulatorCTIoTTests.initialised(&bench)
        #expect(bench.type(#"AT+QLACFG="platform",2"#).last == "OK")
        #expect(bench.type("AT+QLAADDOBJ=19,1,1,0").last == "OK")
        let config = #"AT+QLACONFIG=1,"lwm.home.komect.com",5684,"\#(imei)",30,0,"\#(imei)","\#(Self.psk)""#
        #expect(bench.type(config).last == "OK")
        let reg = bench.type("AT+QLAREG")
        #expect(Array(reg.prefix(5)) == ["AT+QLAREG", "OK", #"+QLAURC: "binding_changed",U"#, #"+QLAURC: "bs_finished""#,
                                         "+QLAREG: 0"], "\(reg)")
        let texts = bench.takePlatformTexts()
        let peer = "10.177.135.245:56830"
        // Bootstrap over DTLS, its session closed after Bootstrap-Finish, then a handshake with
        // the identity and key the bootstrap wrote to /0/1, and the Register over it.
        let order = [
            "dtls: \(peer) handshake done, identity \"\(imei)\"",
            #"dtls: \#(imei) bootstraps over DTLS: its working server is coaps://lwm.home.komect.com:5684 (identity "\#(imei)")"#,
            "bootstrap of \(imei) finished",
            "dtls: \(peer) closed its session",
            "dtls: \(peer) handshake done, identity \"\(imei)\"",
            "registered \(imei) from \(peer)",
        ]
        var at = texts.startIndex
        for line in order {
            let found = texts[at...].firstIndex { $0.hasPrefix(line) }
            #expect(found != nil, "\(line) after line \(at) in \(texts)")
            at = (found ?? at) + 1
        }
        #expect(!texts.contains { $0.contains("plain CoAP") })
        let platform = try #require(bench.emulator.platform(.andlink))
        #expect(platform.registrations.map(\.endpoint) == [imei])
        #expect(platform.isSecure(bench.emulator.address))
        #expect(bench.type("AT+QLACONFIG?").dropFirst().first
                == #"+QLACONFIG: 0,"lwm.home.komect.com",5684,"\#(imei)",30,0,"\#(imei)","\#(Self.psk)",0"#)
        // The account is kept: the next registration goes straight to the coaps:// server.
        #expect(bench.type("AT+QLADEREG").suffix(1) == ["+QLADEREG: 0"])
        _ = bench.takePlatformTexts()
        #expect(bench.type("AT+QLAREG").prefix(3) == ["AT+QLAREG", "OK", "+QLAREG: 0"])
        let again = bench.takePlatformTexts()
        #expect(again.contains { $0.hasPrefix("dtls: \(peer) handshake done") } && !again.contains { $0.contains("bootstrap") },
                "\(again)")
        #expect(bench.emulator.platform(.andlink)?.isSecure(bench.emulator.address) == true)
    }

    @Test func aHandshakeNobodyAnswersEndsWithResultCode1OnTheRetransmitSchedule() throws {
        var bench = EmulatorBench()
        EmulatorCTIoTTests.initialised(&bench)
        // 192.0.2.1 is no embedded platform: a real server that, in virtual time, never answers.
        let config = #"AT+QLACONFIG=0,"192.0.2.1",5684,"\#(Self.imei)",300,0,"\#(Self.imei)","\#(Self.psk)""#
        #expect(bench.type(config).last == "OK")
        #expect(bench.type("AT+QLAREG", settle: 0) == ["AT+QLAREG", "OK"])
        let start = bench.now
        #expect(bench.run(for: 121_999) == [])
        #expect(bench.run(for: 1) == ["+QLAREG: 1"], "2 s, doubled five times (the last wait capped at 60 s): 122 s")
        #expect(bench.now - start == 122_000)
        let sent = bench.takeExternal()
        #expect(sent.count == 6, "a ClientHello and 5 retransmissions: \(sent.count)")
        #expect(sent.allSatisfy { $0.bytes.first == 22 && $0.peer == PeerAddress(host: "192.0.2.1", port: 5684) },
                "handshake records only; the Register never went in clear")
        #expect(bench.diagnostics.contains { $0.contains("DTLS handshake timed out") }, "\(bench.diagnostics)")
        #expect(bench.type("AT+QLASTATUS?").dropFirst().first == "+QLASTATUS: 0")
    }
}
