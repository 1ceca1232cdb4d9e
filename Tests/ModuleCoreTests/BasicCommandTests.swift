import ATProtocol
import CoAP
import Testing
@testable import ModuleCore

@Suite("Basic commands")
struct BasicCommandTests {
    @Test func powerUpPrintsTheBannerFramed() {
        var module = EmulatedModule()
        let output = module.powerOn(now: .zero)
        #expect(output.text == "\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n")
        #expect(module.powerOn(now: .zero).bytes.isEmpty, "already on: no second banner")
    }

    @Test func inputBeforePowerUpIsIgnored() {
        var module = EmulatedModule()
        let output = module.receive(bytes: Array("AT\r".utf8), now: .zero)
        #expect(output.bytes.isEmpty)
        #expect(!output.diagnostics.isEmpty)
    }

    @Test func echoIsOnAfterPowerUpAndRepeatsTheLineExactly() {
        var bench = ModuleBench(quiet: false)
        let start = bench.transcript.count
        bench.send(bytes: Array("at\r".utf8))
        #expect(String(decoding: bench.transcript[start...], as: UTF8.self) == "at\r\r\nOK\r\n")
        let mark = bench.transcript.count
        bench.send(bytes: Array("ATE0\r".utf8))
        #expect(String(decoding: bench.transcript[mark...], as: UTF8.self) == "ATE0\r\r\nOK\r\n", "ATE0 itself is echoed")
        let afterOff = bench.transcript.count
        bench.send(bytes: Array("AT\r".utf8))
        #expect(String(decoding: bench.transcript[afterOff...], as: UTF8.self) == "\r\nOK\r\n")
        bench.type("ATE1")
        let afterOn = bench.transcript.count
        bench.send(bytes: Array("AT".utf8))
        bench.send(bytes: Array("\r\n".utf8))
        #expect(String(decoding: bench.transcript[afterOn...], as: UTF8.self) == "AT\r\r\nOK\r\n", "the LF after CR is an empty line, dropped")
    }

    @Test func identification() {
        var bench = ModuleBench(identity: ModuleIdentity(imei: "866971030603068", imsi: "460111174747875"))
        #expect(bench.type("ATI") == ["Quectel", "BC260Y-CN", "Revision: BC260YCNAAR01A02", "OK"])
        #expect(bench.type("AT+CGMI") == ["Quectel", "OK"])
        #expect(bench.type("AT+CGMM") == ["BC260Y-CN", "OK"])
        #expect(bench.type("AT+CGMR") == ["Revision: BC260YCNAAR01A02", "OK"])
        #expect(bench.type("AT+CGSN=1") == ["+CGSN: 866971030603068", "OK"])
        #expect(bench.type("AT+CGSN=2") == ["+CGSN: 8669710306030601", "OK"])
        #expect(bench.type("AT+CIMI") == ["460111174747875", "OK"])
    }

    @Test func identificationIsOneBlockOfConsecutiveLines() {
        // Quectel's framing: the three fields as one information response, then OK.
        var bench = ModuleBench()
        let before = bench.transcript.count
        bench.type("ATI")
        #expect(String(decoding: bench.transcript[before...], as: UTF8.self)
                == "\r\nQuectel\r\nBC260Y-CN\r\nRevision: BC260YCNAAR01A02\r\n\r\nOK\r\n")
    }

    @Test func serialNumberForms() {
        var bench = ModuleBench(identity: ModuleIdentity(imei: "866971030603068", serialNumber: "SN123"))
        #expect(bench.type("AT+CGSN") == ["SN123", "OK"])
        #expect(bench.type("AT+CGSN=0") == ["+CGSN: SN123", "OK"])
        #expect(bench.type("AT+CGSN=3") == ["+CGSN: 01", "OK"])
        #expect(bench.type("AT+CGSN?") == ["ERROR"])
    }

    @Test func bareATEIsEchoOff() {
        var bench = ModuleBench(quiet: false)
        #expect(bench.type("ATE") == ["ATE", "OK"])
        #expect(bench.type("AT") == ["OK"])
        #expect(bench.type("ATE2") == ["ERROR"])
    }

    @Test func networkQueriesAnswerAsTheExamples() {
        var bench = ModuleBench()
        #expect(bench.type("AT+CFUN?") == ["+CFUN: 1", "OK"])
        #expect(bench.type("AT+CEREG?") == ["+CEREG: 0,1", "OK"])
        #expect(bench.type("AT+CGPADDR?") == ["+CGPADDR: 0,\"10.177.135.245\"", "OK"])
        #expect(bench.type("AT+CGPADDR=0") == ["+CGPADDR: 0,\"10.177.135.245\"", "OK"])
        #expect(bench.type("AT+CSQ") == ["+CSQ: 24,0", "OK"])
        #expect(bench.type("AT+CEREG=2") == ["OK"])
        #expect(bench.type("AT+CEREG?") == ["+CEREG: 2,1", "OK"])
        #expect(bench.type("AT+CFUN=0") == ["OK"])
        #expect(bench.type("AT+CEREG?") == ["+CEREG: 2,0", "OK"])
        #expect(bench.type("AT+CSQ") == ["+CSQ: 99,99", "OK"])
        #expect(bench.type("AT+CGPADDR?") == ["OK"])
    }

    @Test func sleepSettingSetAndQuery() {
        var bench = ModuleBench(quiet: false)
        bench.type("ATE0")
        #expect(bench.type("AT+QSCLK?") == ["+QSCLK: 1", "OK"], "sleep is allowed after power-up")
        #expect(bench.type("AT+QSCLK=0") == ["OK"])
        #expect(bench.type("AT+QSCLK?") == ["+QSCLK: 0", "OK"])
        #expect(bench.type("AT+QSCLK=2") == ["ERROR"])
        #expect(bench.type("AT+QSCLK?") == ["+QSCLK: 0", "OK"])
    }

    @Test(arguments: ["AT+FOO", "AT+CGMI?", "ATX", "HELLO", "AT+QSCLK=1;+CSQ", "AT+CGSN=4", "AT+QRST=0", "AT+QLASTATUS"])
    func unknownOrMalformedAnswersError(line: String) {
        var bench = ModuleBench()
        #expect(bench.type(line) == ["ERROR"])
        #expect(!bench.diagnostics.isEmpty)
    }

    @Test func overlongAndUnreadableLinesAnswerError() {
        var bench = ModuleBench()
        #expect(bench.type("AT+QLANOTIFY=" + String(repeating: "1", count: 2000)) == ["ERROR"])
        #expect(bench.send(bytes: [0x41, 0x54, 0xFF, 0x0D]) == ["ERROR"])
        #expect(bench.type("AT") == ["OK"], "the module still answers")
    }

    @Test func testFormsAnswerFromTheCatalogue() throws {
        var bench = ModuleBench()
        for name in ["AT+QLACFG", "AT+QLACONFIG", "AT+QLAUPDATE", "AT+QLANOTIFY", "AT+QSCLK", "AT+CSQ", "AT+QLAREG"] {
            let spec = try #require(CommandCatalogue.bc260y.command(named: name))
            #expect(bench.type(name + "=?") == spec.testAnswer.map(\.text) + ["OK"], "\(name)=?")
        }
        #expect(bench.type("AT+CSQ=?") == ["+CSQ: (0-31,99),(0-7,99)", "OK"])
    }

    @Test func restartPrintsTheBannerAgainAfterTheRestartTime() {
        var bench = ModuleBench(timing: ModuleTiming(restartMilliseconds: 1_000))
        bench.configure()
        #expect(bench.type("AT+QRST=1") == ["OK"])
        #expect(bench.module.nextDeadline == Instant(milliseconds: 1_000))
        #expect(bench.type("AT") == [], "input is ignored while restarting")
        #expect(bench.advance(toMilliseconds: 999) == [])
        #expect(bench.advance(toMilliseconds: 1_000) == ["RDY", "+CFUN: 1", "+CPIN: READY"])
        // Echo and sleep are back to their power-up settings; the configuration is kept.
        #expect(bench.type("AT+QSCLK?") == ["AT+QSCLK?", "+QSCLK: 1", "OK"])
        #expect(bench.type("AT+QLACONFIG?") == ["AT+QLACONFIG?", "+QLACONFIG: 0,\"180.101.147.115\",5683,\"867724030023557\",300,3,0", "OK"])
    }

    @Test func linesAfterARestartInTheSameReadAreLost() {
        var bench = ModuleBench(timing: ModuleTiming(restartMilliseconds: 1_000))
        #expect(bench.send(bytes: Array("AT+QRST=1\rAT+QLAADDOBJ=19,0,1,0\r".utf8)) == ["OK"])
        bench.advance(toMilliseconds: 1_000)
        bench.type("ATE0")
        #expect(bench.type("AT+QLAADDOBJ?") == ["OK"])
    }

    @Test func restartForgetsTheSessionAndItsObservations() {
        var bench = ModuleBench(timing: ModuleTiming(restartMilliseconds: 0))
        bench.register()
        bench.observe(LwM2MPathFixture.data)
        bench.type("AT+QRST=1")
        #expect(bench.session.last?.action == .discard)
        bench.type("ATE0")
        #expect(bench.type("AT+QLASTATUS?") == ["+QLASTATUS: 0", "OK"])
        #expect(bench.module.observations.isEmpty)
        // Registered again, the old observation does not count.
        bench.type("AT+QSCLK=0")
        bench.type("AT+QLAREG")
        bench.event(.outcome(bench.session.lastRegister!.id, .completed(.success)))
        #expect(bench.type("AT+QLANOTIFY=19,0,0,2,9,\"020001000400023438\",0,0") == ["ERROR"])
    }
}
