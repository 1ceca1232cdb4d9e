import ATProtocol
import CoAP
import LwM2M
import Testing
@testable import ModuleCore

/// Chapter 4's scripts, line by line, with the fake session answering as the platform did in
/// the note. The lines the module prints must be the note's.
@Suite("Note examples")
struct NoteExampleTests {
    @Test func ctIoTScriptOf4_2_2() throws {
        var bench = ModuleBench(identity: ModuleIdentity(imei: "867724030023557"), quiet: false)
        #expect(Self.lines(bench.transcript) == ["RDY", "+CFUN: 1", "+CPIN: READY"])
        bench.type("ATE0")
        #expect(bench.type("AT+QSCLK=0") == ["OK"])
        #expect(bench.type("AT+CEREG?") == ["+CEREG: 0,1", "OK"])
        #expect(bench.type("AT+CGPADDR?") == ["+CGPADDR: 0,\"10.177.135.245\"", "OK"])
        #expect(bench.type("AT+QLACFG=\"platform\",0") == ["OK"])
        #expect(bench.type("AT+QLACONFIG=0,\"180.101.147.115\",5683,\"867724030023557\",300,3") == ["OK"])
        #expect(bench.type("AT+QLAADDOBJ=19,0,1,0") == ["OK"])
        #expect(bench.type("AT+QLAADDOBJ=19,1,1,0") == ["OK"])
        #expect(bench.type("AT+QLAREG") == ["OK"])
        let register = try #require(bench.session.lastRegister)
        #expect(bench.event(.outcome(register.id, .completed(.success))) == ["+QLAREG: 0"])
        #expect(bench.event(.serverRequest(.observe(messageID: 23618, path: .init(19, 0, 0), cancel: false)))
                == ["+QLAURC: \"observe\",23618,0,19,0,0"])
        #expect(bench.type("AT+QLAOBSRSP=23618,1,19,0,0,2,9,\"020001000400023238\",0") == ["OK"])
        #expect(bench.event(.outcome(bench.session.lastRespond!.id, .completed(.success))) == ["+QLAOBSRSP: 0"])
        #expect(bench.type("AT+QLANOTIFY=19,0,0,2,9,\"020001000400023438\",0,0") == ["OK"])
        #expect(bench.event(.outcome(bench.session.lastNotify!.id, .completed(.success))) == ["+QLANOTIFY: 0"])
        #expect(bench.type("AT+QLANOTIFY=19,0,0,2,9,\"020001000400023438\",0,1") == ["OK"])
        let con = try #require(bench.session.lastNotify?.id)
        #expect(bench.event(.outcome(con, .sent(messageID: 8563))) == ["+QLAURC: \"report\",8563"])
        #expect(bench.event(.outcome(con, .completed(.success))) == ["+QLANOTIFY: 0"])
        #expect(bench.event(.outcome(con, .acknowledged(.success, messageID: 8563))) == ["+QLAURC: \"report_ack\",0,8563"])
        #expect(bench.type("AT+QLAUPDATE=0,100") == ["OK"])
        #expect(bench.event(.outcome(bench.session.lastUpdate!.id, .completed(.success, messageID: 41760))) == ["+QLAUPDATE: 0,41760"])
        #expect(bench.type("AT+QLADEREG") == ["OK"])
        #expect(bench.event(.outcome(bench.session.last!.id, .completed(.success))) == ["+QLADEREG: 0"])

        // NOTES.md: the deep-sleep half starts from a registered, observed session.
        bench.type("AT+QLAREG")
        bench.event(.outcome(bench.session.lastRegister!.id, .completed(.success)))
        bench.observe(LwM2MPathFixture.data)
        #expect(bench.type("AT+QSCLK=1") == ["OK"])
        #expect(bench.advance(bySeconds: 10) == ["+QNBIOEVENT: \"ENTER DEEPSLEEP\""])
        bench.advance(bySeconds: 60)
        #expect(bench.type("AT+QSCLK=0") == ["+QNBIOEVENT: \"EXIT DEEPSLEEP\""])
        #expect(bench.event(.outcome(bench.session.last!.id, .completed(.success))) == ["+QLAURC: \"recovered\",0", "OK"])
        #expect(bench.type("AT+CEREG?") == ["+CEREG: 0,1", "OK"])
        #expect(bench.type("AT+CGPADDR?") == ["+CGPADDR: 0,\"10.177.135.245\"", "OK"])
        #expect(bench.type("AT+QLANOTIFY=19,0,0,2,9,\"020001000400023238\",0,1,2") == ["OK"])
        #expect(bench.session.lastNotify?.notification.rai == .releaseAfterReply)
        let second = try #require(bench.session.lastNotify?.id)
        #expect(bench.event(.outcome(second, .sent(messageID: 52157))) == ["+QLAURC: \"report\",52157"])
        #expect(bench.event(.outcome(second, .completed(.success))) == ["+QLANOTIFY: 0"])
        #expect(bench.event(.outcome(second, .acknowledged(.success, messageID: 52157))) == ["+QLAURC: \"report_ack\",0,52157"])
        #expect(bench.type("AT+QLADEREG") == ["OK"])
        #expect(bench.event(.outcome(bench.session.last!.id, .completed(.success))) == ["+QLADEREG: 0"])
        #expect(bench.type("AT+QSCLK=1") == ["OK"])
    }

    @Test func andlinkScriptOf4_4_2() throws {
        var bench = ModuleBench(identity: ModuleIdentity(imei: "866971031275899"))
        #expect(bench.type("AT+QLACFG=\"platform\",2") == ["OK"])
        #expect(bench.type("AT+QLACFG=\"cfg_res\",3,0,17,\"500677\"") == ["OK"])
        #expect(bench.type("AT+QLAADDOBJ=19,1,1,0") == ["OK"])
        #expect(bench.type("AT+QLACONFIG=1,\"lwm.home.komect.com\",5683,\"866971031275899\",30,3") == ["OK"])
        #expect(bench.type("AT+QLAREG") == ["OK"])
        let register = try #require(bench.session.lastRegister)
        #expect(register.configuration.platform == .andlink)
        #expect(register.configuration.bootstrap)
        #expect(bench.event(.bindingChanged(.udp)) == ["+QLAURC: \"binding_changed\",U"])
        let working = ServerConfiguration(host: "lwm.home.komect.com", port: 5683, endpoint: "866971031275899", lifetime: 30)
        #expect(bench.event(.bootstrapFinished(working)) == ["+QLAURC: \"bs_finished\""])
        #expect(bench.event(.outcome(register.id, .completed(.success))) == ["+QLAREG: 0"])
        #expect(bench.event(.serverRequest(.read(messageID: 8095, path: .init(19, 1, 0), uriQuery: nil))) == ["+QLAURC: \"read\",8095,19,1,0"])
        let hex = "7b226f75746c6574537461747573223a2231222c2273657454696d65223a2231222c226669726d77617265223a22312e30222c22736f667456657273696f6e223a22312e30227d"
        #expect(bench.type("AT+QLARDRSP=8095,1,19,1,0,2,71,\"\(hex)\",0") == ["OK"])
        #expect(bench.event(.outcome(bench.session.lastRespond!.id, .completed(.success))) == ["+QLARDRSP: 0"])
        #expect(bench.event(.serverRequest(.write(messageID: 8096, path: .init(19, 1, 0), parts: [
            ValuePart(path: .init(19, 1, 0), value: .string(#"{"outletStatus":"1"}"#)),
        ]))) == [#"+QLAURC: "write",8096,19,1,0,1,20,"{"outletStatus":"1"}",0"#])
        #expect(bench.type("AT+QLAWRRSP=8096,2") == ["OK"])
        #expect(bench.event(.outcome(bench.session.lastRespond!.id, .completed(.success))) == ["+QLAWRRSP: 0"])
        let payload = ServerRequestTests.andlinkHex
        #expect(bench.type("AT+QLASENDATA=2,112,\"\(payload)\",0") == ["OK"])
        #expect(bench.event(.outcome(bench.session.lastSend!.id, .completed(.success, messageID: 5004))) == ["+QLASENDATA: 0,5004"])
        #expect(bench.type("AT+QLASENDATA=2,112,\"\(payload)\",1") == ["OK"])
        let con = try #require(bench.session.lastSend?.id)
        #expect(bench.event(.outcome(con, .completed(.success, messageID: 5005))) == ["+QLASENDATA: 0,5005"])
        #expect(bench.event(.outcome(con, .acknowledged(.success, messageID: 5005))) == ["+QLAURC: \"send_ack\",0,5005"])
        #expect(bench.type("AT+QLAUPDATE=0,100") == ["OK"])
        #expect(bench.event(.outcome(bench.session.lastUpdate!.id, .completed(.success, messageID: 8601))) == ["+QLAUPDATE: 0,8601"])
        #expect(bench.type("AT+QLADEREG") == ["OK"])
        #expect(bench.event(.outcome(bench.session.last!.id, .completed(.success))) == ["+QLADEREG: 0"])
    }

    static func lines(_ bytes: [UInt8]) -> [String] { ModuleBench.lines(bytes) }
}
