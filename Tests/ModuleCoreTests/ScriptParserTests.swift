import Testing
@testable import ModuleCore

@Suite("Script parser")
struct ScriptParserTests {
    static func parse(_ text: String) throws -> Script { try ScriptParser.parse(text, file: "t.at") }

    static func error(_ text: String) -> ScriptParseError? {
        do {
            _ = try ScriptParser.parse(text, file: "t.at")
            return nil
        } catch {
            return error
        }
    }

    static func sends(_ script: Script) -> [String] {
        script.steps.compactMap { if case .send(let template) = $0.kind { template.description } else { nil } }
    }

    @Test func bareCommandsAreSentAndOtherLinesExpected() throws {
        let script = try Self.parse("AT+QLAREG\nOK\nat+cgmr\n+QLAREG: 0\nATI\n")
        #expect(script.steps.count == 5)
        #expect(Self.sends(script) == ["AT+QLAREG", "at+cgmr", "ATI"])
        guard case .expect(let ok) = script.steps[1].kind, case .expect(let reg) = script.steps[3].kind else {
            Issue.record("expected lines not read as expectations: \(script.steps)")
            return
        }
        #expect(ok.pattern.description == "OK")
        #expect(ok.pattern.isFinalResult)
        #expect(!ok.optional)
        #expect(ok.timeoutMilliseconds == ScriptParser.defaultTimeoutMilliseconds)
        #expect(reg.pattern.description == "+QLAREG: 0")
        #expect(!reg.pattern.isFinalResult)
        #expect(script.steps.map(\.location.line) == [1, 2, 3, 4, 5])
        #expect(script.steps[2].location.description == "t.at:3")
    }

    @Test func explicitArrowsSendAndExpectAnything() throws {
        let script = try Self.parse("> hello there\n< AT+QLAREG\n<   wait 5s\n")
        #expect(Self.sends(script) == ["hello there"])
        let patterns = script.steps.compactMap { if case .expect(let e) = $0.kind { e.pattern.description } else { nil } }
        #expect(patterns == ["AT+QLAREG", "wait 5s"])
    }

    @Test func commentsBlankLinesAndTrailingComments() throws {
        let script = try Self.parse("""
        # a comment
           # an indented comment

        AT+QSCLK=0           //禁用休眠模式。
        OK // a comment after a line
        // a line that is only a comment
        AT+QLACONFIG=0,"coap://h//x",5683,"e",300,3
        +X: "a // b"
        """)
        #expect(Self.sends(script) == ["AT+QSCLK=0", #"AT+QLACONFIG=0,"coap://h//x",5683,"e",300,3"#])
        let patterns = script.steps.compactMap { if case .expect(let e) = $0.kind { e.pattern.description } else { nil } }
        #expect(patterns == ["OK", #"+X: "a // b""#])
        #expect(script.steps.map(\.location.line) == [4, 5, 7, 8])
    }

    @Test func backslashContinuesALine() throws {
        let script = try Self.parse("AT+QLARDRSP=1,1,19,1,0,2,4,\"0102\\\n    0304\",0\nOK\n")
        #expect(Self.sends(script) == [#"AT+QLARDRSP=1,1,19,1,0,2,4,"01020304",0"#])
        #expect(script.steps[0].location.line == 1)
        #expect(script.steps[1].location.line == 3)
    }

    @Test func waitsPausesAndTimeouts() throws {
        let script = try Self.parse("""
        wait 30s for +QLAURC: "ping",0
        OK
        timeout 2.5s
        OK
        wait 500ms
        wait 2m for X
        wait 1min
        timeout 1h
        Y
        """)
        let kinds = script.steps.map(\.kind)
        guard case .expect(let ping) = kinds[0], case .expect(let ok1) = kinds[1], case .expect(let ok2) = kinds[2],
              case .pause(let pause) = kinds[3], case .expect(let x) = kinds[4], case .pause(let minute) = kinds[5],
              case .expect(let y) = kinds[6] else {
            Issue.record("unexpected steps \(kinds)")
            return
        }
        #expect(ping.timeoutMilliseconds == 30_000)
        #expect(ping.pattern.description == #"+QLAURC: "ping",0"#)
        #expect(ok1.timeoutMilliseconds == 10_000)
        #expect(ok2.timeoutMilliseconds == 2_500)
        #expect(pause == 500)
        #expect(x.timeoutMilliseconds == 120_000)
        #expect(minute == 60_000)
        #expect(y.timeoutMilliseconds == 3_600_000)
        #expect(script.steps.count == 7)
        #expect(script.requiredExpectationCount == 5)
    }

    @Test func optionalLines() throws {
        let script = try Self.parse("? RDY\n?   < AT\nOK\n")
        guard case .expect(let rdy) = script.steps[0].kind, case .expect(let at) = script.steps[1].kind,
              case .expect(let ok) = script.steps[2].kind else {
            Issue.record("unexpected steps \(script.steps)")
            return
        }
        #expect(rdy.optional && rdy.pattern.description == "RDY")
        #expect(at.optional && at.pattern.description == "AT")
        #expect(!ok.optional)
        #expect(script.requiredExpectationCount == 1)
    }

    @Test func capturesFlowIntoLaterSends() throws {
        let script = try Self.parse("""
        +QLAURC: "observe",{mid},0,19,0,{_}
        AT+QLAOBSRSP={mid},1,19,0,0,2,1,"00",0
        +QLAURC: "report_ack",0,{=mid}
        """)
        guard case .expect(let observe) = script.steps[0].kind, case .send(let answer) = script.steps[1].kind,
              case .expect(let ack) = script.steps[2].kind else {
            Issue.record("unexpected steps \(script.steps)")
            return
        }
        #expect(observe.pattern.capturedNames == ["mid"])
        #expect(answer.names == ["mid"])
        #expect(ack.pattern.referencedNames == ["mid"])
        #expect(try answer.render(["mid": "23618"]).get() == #"AT+QLAOBSRSP=23618,1,19,0,0,2,1,"00",0"#)
    }

    @Test func errorsNameTheFileAndLine() {
        let cases: [(String, Int, String)] = [
            ("OK\nAT+QLAOBSRSP={mid},1\n", 2, "{mid} is sent before any line captures it"),
            ("OK\n\n+X: {=a}\n", 3, "{=a} compares with a capture no earlier line makes"),
            ("wait soon\n", 1, "`wait` needs a duration"),
            ("wait 5x\n", 1, "`wait` needs a duration"),
            ("wait 5s until OK\n", 1, "expected `wait <duration>`"),
            ("wait 5s for\n", 1, "`wait ... for` needs a line to expect"),
            ("wait 5s for   \n", 1, "`wait ... for` needs a line to expect"),
            ("OK\ntimeout\n", 2, "`timeout` needs a duration"),
            ("timeout -3s\n", 1, "`timeout` needs a duration"),
            ("? AT\n", 1, "only an expected line can be optional"),
            ("? wait 3s\n", 1, "only an expected line can be optional"),
            ("? > x\n", 1, "only an expected line can be optional"),
            ("?\n", 1, "`?` needs an expected line"),
            (">\n", 1, "`>` needs a line to send"),
            ("<   \n", 1, "`<` needs a line to expect"),
            ("OK\nAT+X={_}\n", 2, "{_} matches received text"),
            ("OK\n> {...}\n", 2, "{...} matches received text"),
            ("OK\nAT+X=\"01\\\n", 2, "the file ends before it continues"),
        ]
        for (text, line, message) in cases {
            let error = Self.error(text)
            #expect(error?.location == SourceLocation(file: "t.at", line: line), "\(text.debugDescription): \(String(describing: error))")
            #expect(error?.message.contains(message) == true, "\(text.debugDescription): \(String(describing: error))")
            #expect(error?.description.hasPrefix("t.at:\(line): ") == true)
        }
    }

    @Test func waitForCaptures() throws {
        // `wait ... for` lines capture like any expectation; the name is usable afterwards.
        let script = try Self.parse("wait 1s for +QLAURC: \"report\",{id}\nAT+X={id}\n")
        #expect(Self.sends(script) == ["AT+X={id}"])
    }

    @Test func durations() {
        #expect(ScriptDuration.milliseconds("250ms") == 250)
        #expect(ScriptDuration.milliseconds("1.5s") == 1500)
        #expect(ScriptDuration.milliseconds("0s") == 0)
        #expect(ScriptDuration.milliseconds("2m") == 120_000)
        #expect(ScriptDuration.milliseconds("2min") == 120_000)
        #expect(ScriptDuration.milliseconds("1h") == 3_600_000)
        for bad in ["", "s", "5", "5sec", ".5s", "1.2.3s", "-1s", "1e3s", "99999999999999s"] {
            #expect(ScriptDuration.milliseconds(bad) == nil, "\(bad)")
        }
        #expect(ScriptDuration.format(milliseconds: 30_000) == "30s")
        #expect(ScriptDuration.format(milliseconds: 250) == "250ms")
        #expect(ScriptDuration.format(milliseconds: 1500) == "1.5s")
    }

    @Test func crlfFilesAndWindowsLineEnds() throws {
        let script = try Self.parse("AT\r\nOK\r\n")
        #expect(Self.sends(script) == ["AT"])
        #expect(script.steps.count == 2)
    }
}
