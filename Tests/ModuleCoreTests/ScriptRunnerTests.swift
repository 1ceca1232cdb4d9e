import CoAP
import Testing
@testable import ModuleCore

/// The runner alone, fed by hand in virtual time: lines in at chosen instants, deadlines moved
/// exactly.
@Suite("Script runner")
struct ScriptRunnerTests {
    static func runner(_ text: String) throws -> ScriptRunner {
        ScriptRunner(script: try ScriptParser.parse(text, file: "t.at"))
    }

    static func at(_ milliseconds: Int64) -> Instant { Instant(milliseconds: milliseconds) }

    @Test func expectationsMetInOrderPass() throws {
        var runner = try Self.runner("AT+QLAREG\nOK\n+QLAREG: 0\n")
        #expect(runner.start(now: Self.at(0)).lines == ["AT+QLAREG"])
        #expect(runner.nextDeadline == Self.at(10_001), "10 s, inclusive")
        #expect(runner.receive(line: "AT+QLAREG", now: Self.at(1)).entries.map(\.kind) == [.echo("AT+QLAREG")])
        _ = runner.receive(line: "OK", now: Self.at(2))
        #expect(runner.verdict == nil)
        #expect(runner.nextDeadline == Self.at(10_003), "the next expectation's time starts when the previous held")
        _ = runner.receive(line: "+QLAREG: 0", now: Self.at(900))
        #expect(runner.verdict == .passed(at: Self.at(900)))
        let matched = runner.transcript.compactMap { entry -> Int? in
            if case .matched = entry.kind { entry.location?.line } else { nil }
        }
        #expect(matched == [2, 3])
        #expect(runner.nextDeadline == nil)
    }

    @Test func anUnmetExpectationNamesItsLine() throws {
        var runner = try Self.runner("AT+QLAREG\nOK\n\n# then\n+QLAREG: 0\nAT\n")
        _ = runner.start(now: Self.at(0))
        _ = runner.receive(line: "OK", now: Self.at(5))
        _ = runner.receive(line: "+QLAREG: 1", now: Self.at(7))
        _ = runner.advance(to: Self.at(10_005))
        #expect(runner.verdict == nil, "a line at exactly the timeout would still be in time")
        let output = runner.advance(to: Self.at(10_006))
        #expect(output.lines.isEmpty, "nothing after a failure is sent")
        let failure = try #require(runner.verdict?.failure)
        #expect(failure.location == SourceLocation(file: "t.at", line: 5))
        #expect(failure.description.hasPrefix("t.at:5: `+QLAREG: 0` did not arrive within 10s"))
        #expect(failure.reason.contains("meanwhile: `+QLAREG: 1`"))
        #expect(failure.at == Self.at(10_006))
        #expect(output.entries.last?.kind == .failed(failure))
        // The verdict is final.
        _ = runner.receive(line: "+QLAREG: 0", now: Self.at(10_007))
        #expect(runner.verdict?.failure == failure)
    }

    @Test func waitsTimeOutExactlyAtTheirDuration() throws {
        // In time at exactly 30 s...
        var inTime = try Self.runner("wait 30s for +QLAURC: \"ping\",0\n")
        _ = inTime.start(now: Self.at(1_000))
        #expect(inTime.nextDeadline == Self.at(31_001))
        _ = inTime.advance(to: Self.at(31_000))
        #expect(inTime.verdict == nil)
        _ = inTime.receive(line: "+QLAURC: \"ping\",0", now: Self.at(31_000))
        #expect(inTime.verdict == .passed(at: Self.at(31_000)))
        // ...late one millisecond after, even when nobody called advance in between.
        var late = try Self.runner("wait 30s for +QLAURC: \"ping\",0\n")
        _ = late.start(now: Self.at(1_000))
        _ = late.receive(line: "+QLAURC: \"ping\",0", now: Self.at(31_001))
        let failure = try #require(late.verdict?.failure)
        #expect(failure.location.line == 1)
        #expect(failure.reason.contains("within 30s"))
        #expect(failure.at == Self.at(31_001))
    }

    @Test func aDifferentFinalResultFailsAtOnce() throws {
        var runner = try Self.runner("AT+QLACFG=\"platform\",9\nOK\n")
        _ = runner.start(now: Self.at(0))
        _ = runner.receive(line: "ERROR", now: Self.at(3))
        let failure = try #require(runner.verdict?.failure)
        #expect(failure.location.line == 2)
        #expect(failure.reason == "got `ERROR` where `OK` was expected")
        #expect(failure.at == Self.at(3))
    }

    @Test func aFinalResultWhileWaitingForAURCIsSkipped() throws {
        var runner = try Self.runner("AT+QSCLK=1\n+QNBIOEVENT: \"ENTER DEEPSLEEP\"\n")
        _ = runner.start(now: Self.at(0))
        _ = runner.receive(line: "OK", now: Self.at(3))
        #expect(runner.verdict == nil)
        _ = runner.receive(line: "+QNBIOEVENT: \"ENTER DEEPSLEEP\"", now: Self.at(9_000))
        #expect(runner.verdict?.passed == true)
    }

    @Test func unexpectedURCsBetweenExpectationsAreSkipped() throws {
        var runner = try Self.runner("AT+QLAUPDATE=0,100\nOK\n+QLAUPDATE: 0,{mid}\n")
        _ = runner.start(now: Self.at(0))
        for line in ["+QLAURC: \"ping\",0", "+QLAURC: \"observe\",1,0,19,0,0", "OK", "+QLAURC: \"lw_event\",0,5,9", "+QLAUPDATE: 0,41760"] {
            _ = runner.receive(line: line, now: Self.at(10))
        }
        #expect(runner.verdict?.passed == true)
        #expect(runner.captures == ["mid": "41760"])
    }

    @Test func capturesFlowIntoLaterSendsAndComparisons() throws {
        var runner = try Self.runner("""
        +QLAURC: "observe",{mid},0,19,0,0
        AT+QLAOBSRSP={mid},1,19,0,0,2,9,"020001000400023238",0
        OK
        AT+QLANOTIFY=19,0,0,2,9,"020001000400023438",0,1
        +QLAURC: "report",{report}
        +QLAURC: "report_ack",0,{=report}
        AT+X={report},{mid}
        """)
        #expect(runner.start(now: Self.at(0)).lines.isEmpty)
        let answer = runner.receive(line: "+QLAURC: \"observe\",23618,0,19,0,0", now: Self.at(100))
        #expect(answer.lines == ["AT+QLAOBSRSP=23618,1,19,0,0,2,9,\"020001000400023238\",0"])
        #expect(runner.receive(line: "OK", now: Self.at(110)).lines == ["AT+QLANOTIFY=19,0,0,2,9,\"020001000400023438\",0,1"])
        _ = runner.receive(line: "+QLAURC: \"report\",8563", now: Self.at(120))
        _ = runner.receive(line: "+QLAURC: \"report_ack\",0,8564", now: Self.at(130))
        #expect(runner.verdict == nil, "an acknowledgement of another message does not count")
        let last = runner.receive(line: "+QLAURC: \"report_ack\",0,8563", now: Self.at(140))
        #expect(last.lines == ["AT+X=8563,23618"])
        #expect(runner.verdict == .passed(at: Self.at(140)))
        #expect(runner.captures == ["mid": "23618", "report": "8563"])
    }

    @Test func aCaptureIsReboundByALaterLine() throws {
        var runner = try Self.runner("+A: {x}\nAT+B={x}\n+A: {x}\nAT+C={x}\n")
        _ = runner.start(now: Self.at(0))
        #expect(runner.receive(line: "+A: 1", now: Self.at(1)).lines == ["AT+B=1"])
        #expect(runner.receive(line: "+A: 2", now: Self.at(2)).lines == ["AT+C=2"])
    }

    @Test func pausesEndExactlyAndKeepTheirLines() throws {
        var runner = try Self.runner("AT+QSCLK=1\nOK\nwait 5s\nAT\n+QNBIOEVENT: \"EXIT DEEPSLEEP\"\n")
        _ = runner.start(now: Self.at(0))
        _ = runner.receive(line: "OK", now: Self.at(2))
        #expect(runner.nextDeadline == Self.at(5_002))
        // A line during the pause is not skipped: the expectation after the pause takes it.
        _ = runner.receive(line: "+QNBIOEVENT: \"EXIT DEEPSLEEP\"", now: Self.at(3_000))
        #expect(runner.advance(to: Self.at(5_001)).lines.isEmpty)
        #expect(runner.advance(to: Self.at(5_002)).lines == ["AT"])
        #expect(runner.verdict == .passed(at: Self.at(5_002)))
    }

    @Test func aLateCallCatchesUpFromThePausesEnd() throws {
        var runner = try Self.runner("wait 5s\nwait 1s for X\n")
        _ = runner.start(now: Self.at(0))
        // Nobody woke the runner at 5 s; at 6.5 s the expectation (from 5 s, 1 s long) is late.
        _ = runner.advance(to: Self.at(6_500))
        let failure = try #require(runner.verdict?.failure)
        #expect(failure.location.line == 2)
        #expect(failure.at == Self.at(6_001))
    }

    @Test func optionalLinesAreTakenWhenTheyCome() throws {
        // The banner arrived before the run started: the optional lines take it.
        var runner = try Self.runner("? RDY\n? +CFUN: {fun}\nAT\nOK\n")
        _ = runner.receive(line: "RDY", now: Self.at(0))
        _ = runner.receive(line: "+CFUN: 1", now: Self.at(0))
        #expect(runner.start(now: Self.at(0)).lines == ["AT"])
        _ = runner.receive(line: "OK", now: Self.at(1))
        #expect(runner.verdict?.passed == true)
        #expect(runner.captures == ["fun": "1"])
        let optionalMatches = runner.transcript.filter { if case .matched = $0.kind { $0.location?.line ?? 0 <= 2 } else { false } }
        #expect(optionalMatches.count == 2)
    }

    @Test func optionalLinesNeverHoldTheScriptUp() throws {
        var runner = try Self.runner("? RDY\nAT\nOK\n")
        #expect(runner.start(now: Self.at(0)).lines == ["AT"], "no banner: the command goes at once")
        _ = runner.receive(line: "OK", now: Self.at(1))
        #expect(runner.verdict?.passed == true)
    }

    @Test func anOptionalLineWaitsUntilTheNextRequiredOneHolds() throws {
        var runner = try Self.runner("AT\n+QNBIOEVENT: \"EXIT DEEPSLEEP\"\n? OK\nwait 30s for +QLAURC: \"recovered\",{code}\n")
        _ = runner.start(now: Self.at(0))
        _ = runner.receive(line: "+QNBIOEVENT: \"EXIT DEEPSLEEP\"", now: Self.at(1))
        _ = runner.receive(line: "OK", now: Self.at(2))
        _ = runner.receive(line: "+QLAURC: \"recovered\",0", now: Self.at(3_000))
        #expect(runner.verdict?.passed == true)
        #expect(runner.transcript.contains { $0.kind == .matched("OK") && $0.location?.line == 3 })
        // The same line both optional and required: the earlier (optional) takes the first.
        var twice = try Self.runner("? OK\nOK\n")
        _ = twice.start(now: Self.at(0))
        _ = twice.receive(line: "OK", now: Self.at(1))
        #expect(twice.verdict == nil)
        _ = twice.receive(line: "OK", now: Self.at(2))
        #expect(twice.verdict?.passed == true)
    }

    @Test func aCaptureFromAMissedOptionalLineFailsTheSend() throws {
        var runner = try Self.runner("? +QLAURC: \"report\",{id}\nOK\nAT+X={id}\n")
        _ = runner.start(now: Self.at(0))
        _ = runner.receive(line: "OK", now: Self.at(1))
        let failure = try #require(runner.verdict?.failure)
        #expect(failure.location.line == 3)
        #expect(failure.reason.contains("{id} has no value"))
    }

    @Test func echoIsRecognisedButAnExpectedEchoMatches() throws {
        var runner = try Self.runner("AT\nOK\nAT+CSQ\n< AT+CSQ\nOK\n")
        _ = runner.start(now: Self.at(0))
        _ = runner.receive(line: "AT", now: Self.at(1))
        #expect(runner.transcript.last?.kind == .echo("AT"))
        _ = runner.receive(line: "OK", now: Self.at(2))
        _ = runner.receive(line: "AT+CSQ", now: Self.at(3))
        #expect(runner.transcript.last?.kind == .matched("AT+CSQ"), "the script asked for the echo")
        _ = runner.receive(line: "OK", now: Self.at(4))
        #expect(runner.verdict?.passed == true)
    }

    @Test func abortNamesTheCurrentLine() throws {
        var runner = try Self.runner("AT\nOK\nAT+CSQ\n+CSQ: {_}\n")
        _ = runner.start(now: Self.at(0))
        _ = runner.receive(line: "OK", now: Self.at(1))
        _ = runner.abort("the serial port went away", now: Self.at(2))
        #expect(runner.verdict?.failure?.description == "t.at:4: the serial port went away")
    }

    @Test func linesAreSentWithACarriageReturn() {
        var output = ScriptRunnerOutput()
        output.lines = ["AT", "ATI"]
        #expect(output.bytes == Array("AT\rATI\r".utf8))
    }

    @Test func anEmptyScriptPassesAtOnce() throws {
        var runner = try Self.runner("# nothing\n")
        _ = runner.start(now: Self.at(7))
        #expect(runner.verdict == .passed(at: Self.at(7)))
    }

    @Test func transcriptLinesAsPrinted() {
        let location = SourceLocation(file: "t.at", line: 4)
        #expect(TranscriptFormat.line(TranscriptEntry(time: Self.at(12_345), kind: .sent("AT"))) == "[  12.345] > AT")
        #expect(TranscriptFormat.line(TranscriptEntry(time: Self.at(5), kind: .received("OK"))) == "[   0.005] < OK")
        #expect(TranscriptFormat.line(TranscriptEntry(time: Self.at(5), kind: .echo("AT"))) == "[   0.005] < AT  (echo)")
        #expect(TranscriptFormat.line(TranscriptEntry(time: Self.at(5), location: location, kind: .matched("OK"))) == nil)
        #expect(TranscriptFormat.line(TranscriptEntry(time: Self.at(5), location: location, kind: .matched("OK")), verbose: true)
                == "[   0.005]   ✓ OK  [t.at:4]")
        let failure = ScriptFailure(location: location, reason: "why", at: Self.at(1_000))
        #expect(TranscriptFormat.line(TranscriptEntry(time: Self.at(1_000), location: location, kind: .failed(failure)))
                == "[   1.000] FAIL t.at:4: why")
        #expect(TranscriptFormat.timestamp(Self.at(123_456_789)) == "[123456.789]")
    }
}
