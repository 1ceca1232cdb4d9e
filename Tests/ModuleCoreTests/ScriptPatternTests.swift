import Testing
@testable import ModuleCore

@Suite("Script patterns")
struct ScriptPatternTests {
    @Test func literalLinesMatchExactlyUpToSurroundingSpaces() {
        let ok = LinePattern("OK")
        #expect(ok.match("OK") == [:])
        #expect(ok.match("  OK ") == [:])
        #expect(ok.match("OK1") == nil)
        #expect(ok.match("ok") == nil)
        #expect(ok.match("") == nil)
        #expect(LinePattern(#"+QNBIOEVENT: "ENTER DEEPSLEEP""#).match(#"+QNBIOEVENT: "ENTER DEEPSLEEP""#) == [:])
    }

    @Test func aCaptureTakesOneField() {
        let observe = LinePattern(#"+QLAURC: "observe",{mid},0,19,0,0"#)
        #expect(observe.match(#"+QLAURC: "observe",23618,0,19,0,0"#) == ["mid": "23618"])
        #expect(observe.match(#"+QLAURC: "observe",23618,1,19,0,0"#) == nil)
        #expect(observe.match(#"+QLAURC: "observe",1,2,0,19,0,0"#) == nil, "a field holds no comma")
        #expect(LinePattern("+X: {a},{b}").match("+X: 1,") == ["a": "1", "b": ""], "a field may be empty")
        #expect(LinePattern("+X: {a}").match("+X: 1,2") == nil)
    }

    @Test func quotedFieldsMayHoldCommas() {
        #expect(LinePattern("+X: {v},0").match(#"+X: "a,b",0"#) == ["v": #""a,b""#])
        #expect(LinePattern(#"+X: "{v}",0"#).match(#"+X: "a,b",0"#) == ["v": "a,b"])
        #expect(LinePattern("+CGPADDR: 0,{address}").match(#"+CGPADDR: 0,"10.177.135.245""#) == ["address": #""10.177.135.245""#])
    }

    @Test func backReferencesCompareWithEarlierCaptures() {
        let ack = LinePattern(#"+QLAURC: "report_ack",0,{=report}"#)
        #expect(ack.match(#"+QLAURC: "report_ack",0,8563"#, captures: ["report": "8563"]) == [:])
        #expect(ack.match(#"+QLAURC: "report_ack",0,8564"#, captures: ["report": "8563"]) == nil)
        #expect(ack.match(#"+QLAURC: "report_ack",0,85630"#, captures: ["report": "8563"]) == nil)
        #expect(ack.match(#"+QLAURC: "report_ack",0,8563"#) == nil, "nothing captured: nothing to compare with")
        // Within one line: the second field must repeat the first.
        let twice = LinePattern("+X: {a},{=a}")
        #expect(twice.match("+X: 7,7") == ["a": "7"])
        #expect(twice.match("+X: 7,8") == nil)
    }

    @Test func captureRebindsAnEarlierValue() {
        #expect(LinePattern("+X: {a}").match("+X: 2", captures: ["a": "1"]) == ["a": "2"])
    }

    @Test func wildcards() {
        #expect(LinePattern("+QLAUPDATE: 0,{_}").match("+QLAUPDATE: 0,41760") == [:])
        #expect(LinePattern("+QLAUPDATE: 0,{_}").match("+QLAUPDATE: 1,41760") == nil)
        #expect(LinePattern("+QLACFG: {...}").match(#"+QLACFG: "retransmit",2,5"#) == [:])
        #expect(LinePattern("{...}").match("") == [:])
        #expect(LinePattern("+A: {...},{last}").match("+A: 1,2,3") == ["last": "3"])
    }

    @Test func longestFirstWhenAmbiguous() {
        #expect(LinePattern("{a}{b}").match("xyz") == ["a": "xyz", "b": ""])
        #expect(LinePattern("{a}z{b}").match("xzyz") == ["a": "xzy", "b": ""])
    }

    @Test func bracesThatAreNotPlaceholdersAreText() {
        let write = LinePattern(#"+QLAURC: "write",{mid},19,1,0,1,20,"{"outletStatus":"1"}",0"#)
        #expect(write.capturedNames == ["mid"])
        #expect(write.match(#"+QLAURC: "write",8096,19,1,0,1,20,"{"outletStatus":"1"}",0"#) == ["mid": "8096"])
        #expect(write.match(#"+QLAURC: "write",8096,19,1,0,1,20,"{"outletStatus":"0"}",0"#) == nil)
        #expect(LinePattern("a{1x}b").match("a{1x}b") == [:])
        #expect(LinePattern(#"\{name}"#).match("{name}") == [:])
        #expect(LinePattern(#"\{name}"#).capturedNames.isEmpty)
        #expect(LinePattern("{ name }").match("{ name }") == [:])
        #expect(LinePattern("{=}").match("{=}") == [:])
        #expect(LinePattern("{").match("{") == [:])
    }

    @Test func descriptionReadsBackAsTheSamePattern() {
        for text in [#"+QLAURC: "observe",{mid},0,19,0,{_}"#, "+X: {=a}{...}", #"\{name} and {"json":1}"#] {
            let pattern = LinePattern(text)
            #expect(LinePattern(pattern.description) == pattern, "\(text) -> \(pattern.description)")
        }
    }

    @Test func templatesRender() throws {
        let template = try LineTemplate(#"AT+QLAOBSRSP={mid},1,19,0,0,2,1,"{"a":1}",0"#)
        #expect(try template.render(["mid": "5"]).get() == #"AT+QLAOBSRSP=5,1,19,0,0,2,1,"{"a":1}",0"#)
        guard case .failure(let missing) = template.render([:]) else {
            Issue.record("rendered without a value")
            return
        }
        #expect(missing.name == "mid")
        #expect(throws: ScriptTextError.self) { try LineTemplate("AT+X={_}") }
    }

    @Test func neverTrapsOnOddLines() {
        let patterns = [LinePattern("{a},{b},{c}"), LinePattern(#""{a}"{...}"#), LinePattern("+X: {=q}")]
        let lines = ["", ",,,", "\"", "\"\"\",\",\"", String(repeating: "a,\"", count: 200), "\u{0}\u{FFFD}é中"]
        for pattern in patterns {
            for line in lines { _ = pattern.match(line, captures: ["q": "\""]) }
        }
    }
}
