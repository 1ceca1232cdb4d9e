import ATProtocol
import CoAP
import LwM2M
import Testing
@testable import ModuleCore

@Suite("Server requests and their answers")
struct ServerRequestTests {
    @Test func observeAnsweredAsTheExample() throws {
        var bench = ModuleBench()
        bench.register()
        #expect(bench.event(.serverRequest(.observe(messageID: 23618, path: .init(19, 0, 0), cancel: false)))
                == ["+QLAURC: \"observe\",23618,0,19,0,0"])
        #expect(bench.type("AT+QLAOBSRSP=23618,1,19,0,0,2,9,\"020001000400023238\",0") == ["OK"])
        let respond = try #require(bench.session.lastRespond)
        #expect(respond.response == ServerResponse(
            messageID: 23618, operation: .observe, path: .init(19, 0, 0), result: .content,
            parts: [ValuePart(path: .init(19, 0, 0), value: .opaque([0x02, 0x00, 0x01, 0x00, 0x04, 0x00, 0x02, 0x32, 0x38]))]))
        #expect(bench.event(.outcome(respond.id, .completed(.success))) == ["+QLAOBSRSP: 0"])
        #expect(bench.module.observations == [LwM2MPath(19, 0, 0)])
        #expect(bench.type("AT+QLAOBSRSP=23618,1,19,0,0,2,9,\"020001000400023238\",0") == ["ERROR"], "answered already")
    }

    @Test(arguments: [
        "AT+QLAOBSRSP=1,1,19,0,0,2,9,\"020001000400023238\",0",      // unknown message id
        "AT+QLARDRSP=624,1,19,0,0,2,9,\"020001000400023238\",0",     // a read answer for an observe
        "AT+QLAWRRSP=624,2",                                        // a write answer for an observe
        "AT+QLAOBSRSP=624,1,19,0,1,2,9,\"020001000400023238\",0",    // another resource
        "AT+QLAOBSRSP=624,1,19,0,0,2,8,\"020001000400023238\",0",    // len does not match
        "AT+QLAOBSRSP=624,1,19,0,0,1,4,\"abcde\",0",                 // string len does not match
        "AT+QLAOBSRSP=624,2,19,0,0,2,9,\"020001000400023238\",0",    // result 2 is not for observe
        "AT+QLAOBSRSP=624,1,19,0,0,3,3,5,0",                          // integer width 3
        "AT+QLAOBSRSP=624,1,19,0,0,5,1,2,0",                          // boolean 2
        "AT+QLAOBSRSP=624,1,19,0,0,2,9,\"02000100040002323G\",0",    // not hex
        "AT+QLAOBSRSP=624,1,19,0,0,2,9,\"020001000400023238\"",      // index missing
    ])
    func answerErrorsLeaveTheRequestPending(line: String) throws {
        var bench = ModuleBench()
        bench.register()
        bench.event(.serverRequest(.observe(messageID: 624, path: .init(19, 0, 0), cancel: false)))
        #expect(bench.type(line) == ["ERROR"])
        #expect(bench.session.lastRespond == nil)
        #expect(bench.type("AT+QLAOBSRSP=624,1,19,0,0,1,5,\"abcde\",0") == ["OK"], "the right answer still works")
    }

    @Test func everyValueTypeIsAccepted() throws {
        for (line, value) in [
            ("1,5,\"abcde\"", ATTypedValue.string("abcde")), ("3,2,-5", .integer(-5, width: 2)),
            ("4,4,23.5", .float(23.5, width: 4)), ("5,1,1", .boolean(true)), ("2,0,\"\"", .opaque([])),
        ] {
            var bench = ModuleBench()
            bench.register()
            bench.event(.serverRequest(.read(messageID: 9, path: .init(3303, 0, 5700), uriQuery: nil)))
            #expect(bench.type("AT+QLARDRSP=9,1,3303,0,5700,\(line),0") == ["OK"], "\(line)")
            #expect(bench.session.lastRespond?.response.parts.first?.value == value)
        }
    }

    @Test func multiPartReadIsAssembledFromNMinus1DownTo0() throws {
        var bench = ModuleBench()
        bench.register()
        #expect(bench.event(.serverRequest(.read(messageID: 77, path: .init(19, 0), uriQuery: nil)))
                == ["+QLAURC: \"read\",77,19,0,-1"])
        #expect(bench.type("AT+QLARDRSP=77,1,19,0,0,1,1,\"a\",2") == ["OK"])
        #expect(bench.type("AT+QLARDRSP=77,1,19,0,1,1,1,\"b\",0") == ["ERROR"], "index 1 expected")
        #expect(bench.type("AT+QLARDRSP=77,11,19,0,1,1,1,\"b\",1") == ["ERROR"], "same result for every part")
        #expect(bench.type("AT+QLARDRSP=77,1,3,0,1,1,1,\"b\",1") == ["ERROR"], "outside /19/0")
        #expect(bench.type("AT+QLARDRSP=77,1,19,0,1,1,1,\"b\",1") == ["OK"])
        #expect(bench.session.lastRespond == nil, "nothing is sent before index 0")
        #expect(bench.type("AT+QLARDRSP=77,1,19,0,2,3,4,42,0") == ["OK"])
        let respond = try #require(bench.session.lastRespond)
        #expect(respond.response.path == LwM2MPath(19, 0))
        #expect(respond.response.parts.map(\.path) == [.init(19, 0, 0), .init(19, 0, 1), .init(19, 0, 2)])
        #expect(bench.event(.outcome(respond.id, .completed(.success))) == ["+QLARDRSP: 0"])
        #expect(bench.type("AT+QLARDRSP=77,1,19,0,0,1,1,\"a\",0") == ["ERROR"])
    }

    @Test func readWithQueryAndAnAndlinkJSONAnswer() throws {
        var bench = ModuleBench()
        bench.register()
        #expect(bench.event(.serverRequest(.read(messageID: 8095, path: .init(19, 1, 0), uriQuery: "pmin=10")))
                == ["+QLAURC: \"read\",8095,19,1,0,\"pmin=10\""])
        let json = #"{"outletStatus":"1","setTime":"1","firmware":"1.0","softVersion":"1.0"}"#
        let hex = json.utf8.map { String(format: "%02x", $0) }.joined()
        #expect(bench.type("AT+QLARDRSP=8095,1,19,1,0,2,71,\"\(hex)\",0") == ["OK"])
        #expect(bench.session.lastRespond?.response.parts.first?.value == .opaque(Array(json.utf8)))
    }

    @Test func writeURCsAndAnswer() throws {
        var bench = ModuleBench()
        bench.register()
        #expect(bench.event(.serverRequest(.write(messageID: 36560, path: .init(19, 0, 0), parts: [
            ValuePart(path: .init(19, 0, 0), value: .opaque(Array("QUECTEL".utf8))),
        ]))) == ["+QLAURC: \"write\",36560,19,0,0,2,7,\"5155454354454C\",0"])
        #expect(bench.event(.serverRequest(.write(messageID: 8096, path: .init(19, 1, 0), parts: [
            ValuePart(path: .init(19, 1, 0), value: .string(#"{"outletStatus":"1"}"#)),
        ]))) == [#"+QLAURC: "write",8096,19,1,0,1,20,"{"outletStatus":"1"}",0"#])
        #expect(bench.type("AT+QLAEXERSP=36560,2") == ["ERROR"], "not an execute")
        #expect(bench.type("AT+QLAWRRSP=36560,1") == ["ERROR"], "result 1 is not for writes")
        #expect(bench.type("AT+QLAWRRSP=36560,2") == ["OK"])
        let respond = try #require(bench.session.lastRespond)
        #expect(respond.response.operation == .write && respond.response.result == .changed)
        #expect(bench.event(.outcome(respond.id, .completed(.success))) == ["+QLAWRRSP: 0"])
        #expect(bench.type("AT+QLAWRRSP=36560,2") == ["ERROR"], "answered already")
        #expect(bench.type("AT+QLAWRRSP=8096,13,1") == ["OK"])
        #expect(bench.session.lastRespond?.response.rai == .releaseAfterUplink)
    }

    @Test func writeOfAnInstancePrintsOneURCPerPartDownToIndex0() {
        var bench = ModuleBench()
        bench.register()
        #expect(bench.event(.serverRequest(.write(messageID: 5, path: .init(19, 0), parts: [
            ValuePart(path: .init(19, 0, 0), value: .opaque([0xAB])),
            ValuePart(path: .init(19, 0, 1), value: .integer(7, width: 4)),
        ]))) == ["+QLAURC: \"write\",5,19,0,0,2,1,\"AB\",1", "+QLAURC: \"write\",5,19,0,1,3,4,7,0"])
    }

    @Test func executeAsTheExample() throws {
        var bench = ModuleBench()
        bench.register()
        #expect(bench.event(.serverRequest(.execute(messageID: 39040, path: .init(15, 0, 5)))) == ["+QLAURC: \"execute\",39040,15,0,5"])
        #expect(bench.type("AT+QLAEXERSP=39040,2") == ["OK"])
        let respond = try #require(bench.session.lastRespond)
        #expect(bench.event(.outcome(respond.id, .completed(.success))) == ["+QLAEXERSP: 0"])
        #expect(bench.type("AT+QLAEXERSP=39040,2") == ["ERROR"])
    }

    @Test func autoAckAnswersTheObserveItself() throws {
        var bench = ModuleBench()
        bench.type("AT+QLACFG=\"auto_ack\",1")
        bench.register()
        #expect(bench.event(.serverRequest(.observe(messageID: 45419, path: .init(19, 0, 0), cancel: false)))
                == ["+QLAURC: \"observe\",45419,0,19,0,0"])
        let respond = try #require(bench.session.lastRespond)
        #expect(respond.response == ServerResponse(messageID: 45419, operation: .observe, path: .init(19, 0, 0), result: .content))
        #expect(bench.event(.outcome(respond.id, .completed(.success))) == [], "no result line for the module's own answer")
        #expect(bench.type("AT+QLAOBSRSP=45419,1,19,0,0,2,9,\"020001000400023238\",0") == ["ERROR"])
        #expect(bench.type("AT+QLANOTIFY=19,0,0,2,9,\"020001000400023238\",0,0") == ["OK"])
    }

    @Test func cancelEndsTheObservation() {
        var bench = ModuleBench()
        bench.register()
        bench.observe(LwM2MPathFixture.data)
        #expect(bench.event(.serverRequest(.observe(messageID: 700, path: .init(19, 0, 0), cancel: true)))
                == ["+QLAURC: \"observe\",700,1,19,0,0"])
        #expect(bench.type("AT+QLANOTIFY=19,0,0,2,9,\"020001000400023438\",0,0") == ["ERROR"])
        #expect(bench.type("AT+QLAOBSRSP=700,1,19,0,0,2,9,\"020001000400023438\",0") == ["OK"])
    }

    // MARK: AT+QLANOTIFY

    @Test func notifyNeedsAnObservation() {
        var bench = ModuleBench()
        bench.register()
        #expect(bench.type("AT+QLANOTIFY=19,0,0,2,9,\"020001000400023438\",0,0") == ["ERROR"])
        bench.observe(.init(19, 1, 0))
        #expect(bench.type("AT+QLANOTIFY=19,0,0,2,9,\"020001000400023438\",0,0") == ["ERROR"], "another resource")
        #expect(bench.type("AT+QLANOTIFY=19,1,0,2,9,\"020001000400023438\",0,0") == ["OK"])
        #expect(bench.session.count { if case .notify = $0 { true } else { false } } == 1)
    }

    @Test func notifyNONAndCONAsTheExample() throws {
        var bench = ModuleBench()
        bench.register()
        bench.observe(LwM2MPathFixture.data)
        #expect(bench.type("AT+QLANOTIFY=19,0,0,2,9,\"020001000400023438\",0,0") == ["OK"])
        let non = try #require(bench.session.lastNotify)
        #expect(non.notification.confirmable == false)
        #expect(non.notification.observedPath == LwM2MPathFixture.data)
        #expect(bench.event(.outcome(non.id, .completed(.success))) == ["+QLANOTIFY: 0"])

        #expect(bench.type("AT+QLANOTIFY=19,0,0,2,9,\"020001000400023438\",0,1") == ["OK"])
        let con = try #require(bench.session.lastNotify)
        #expect(con.notification.confirmable)
        #expect(bench.event(.outcome(con.id, .sent(messageID: 8563))) == ["+QLAURC: \"report\",8563"])
        #expect(bench.event(.outcome(con.id, .completed(.success))) == ["+QLANOTIFY: 0"])
        #expect(bench.event(.outcome(con.id, .acknowledged(.success, messageID: 8563))) == ["+QLAURC: \"report_ack\",0,8563"])
        #expect(bench.event(.outcome(con.id, .acknowledged(.success, messageID: 8563))) == [], "finished")
    }

    @Test func notifyOfAnObservedInstanceInTwoParts() throws {
        var bench = ModuleBench()
        bench.register()
        bench.event(.serverRequest(.observe(messageID: 3, path: .init(19, 0), cancel: false)))
        bench.type("AT+QLAOBSRSP=3,1,19,0,0,1,1,\"a\",0")
        #expect(bench.module.observations == [LwM2MPath(19, 0)])
        #expect(bench.type("AT+QLANOTIFY=19,0,0,1,1,\"x\",1") == ["OK"])
        #expect(bench.type("AT+QLANOTIFY=19,0,1,1,1,\"y\",1") == ["ERROR"], "index 0 expected")
        #expect(bench.type("AT+QLANOTIFY=19,0,1,1,1,\"y\",0,1,1") == ["OK"])
        let notify = try #require(bench.session.lastNotify)
        #expect(notify.notification == Notification(observedPath: .init(19, 0), parts: [
            ValuePart(path: .init(19, 0, 0), value: .string("x")), ValuePart(path: .init(19, 0, 1), value: .string("y")),
        ], confirmable: true, rai: .releaseAfterUplink))
    }

    @Test func observationCancelledBySessionStopsNotify() {
        var bench = ModuleBench()
        bench.register()
        bench.observe(LwM2MPathFixture.data)
        #expect(bench.event(.resetReceived(messageID: 52157)) == ["+QLAURC: \"lw_event\",0,5,52157"])
        #expect(bench.event(.observationCancelled(LwM2MPathFixture.data)) == [])
        #expect(bench.type("AT+QLANOTIFY=19,0,0,2,9,\"020001000400023438\",0,0") == ["ERROR"])
    }

    // MARK: AT+QLASENDDATA

    static let andlinkHex = "5b7b226e223a222f31392f312f30222c227673223a227b5c226f75746c65745374617475735c223a5c22305c222c5c2273657454696d655c223a5c22315c222c5c226669726d776172655c223a5c22312e305c222c5c22736f667456657273696f6e5c223a5c22312e305c227d227d5d"

    @Test func sendDataOnlyOnAndlink() {
        var bench = ModuleBench()
        bench.register()
        #expect(bench.type("AT+QLASENDDATA=2,112,\"\(Self.andlinkHex)\",0") == ["ERROR"])
        #expect(bench.session.lastSend == nil)
    }

    @Test func sendDataOnAndlinkWithBothSpellings() throws {
        var bench = ModuleBench()
        bench.type("AT+QLACFG=\"platform\",2")
        #expect(bench.type("AT+QLASENDATA=2,112,\"\(Self.andlinkHex)\",0") == ["ERROR"], "not registered")
        bench.register()
        #expect(bench.type("AT+QLASENDATA=2,112,\"\(Self.andlinkHex)\",0") == ["OK"])
        let non = try #require(bench.session.lastSend)
        #expect(non.data.bytes.count == 112)
        #expect(String(decoding: non.data.bytes, as: UTF8.self).hasPrefix(#"[{"n":"/19/1/0","vs":"#))
        #expect(bench.event(.outcome(non.id, .completed(.success, messageID: 5004))) == ["+QLASENDATA: 0,5004"])
        #expect(bench.type("AT+QLASENDDATA=2,112,\"\(Self.andlinkHex)\",1") == ["OK"])
        let con = try #require(bench.session.lastSend)
        #expect(con.data.confirmable)
        #expect(bench.event(.outcome(con.id, .completed(.success, messageID: 5005))) == ["+QLASENDDATA: 0,5005"])
        #expect(bench.event(.outcome(con.id, .acknowledged(.success, messageID: 5005))) == ["+QLAURC: \"send_ack\",0,5005"])
    }

    @Test(arguments: ["AT+QLASENDDATA=3,4,5", "AT+QLASENDDATA=1,3,\"ab\"", "AT+QLASENDDATA=2,2,\"abc\"", "AT+QLASENDDATA=1,2,\"ab\",2"])
    func sendDataParameterErrors(line: String) {
        var bench = ModuleBench()
        bench.type("AT+QLACFG=\"platform\",2")
        bench.register()
        #expect(bench.type(line) == ["ERROR"])
        #expect(bench.session.lastSend == nil)
    }
}
