import ATProtocol
import Testing
@testable import Console

@Suite struct CommandHintTests {
    @Test func theParameterUnderTheCursorIsNamedAndHighlighted() throws {
        let line = #"AT+QLACONFIG=0,"1.2.3.4",56"#
        let hint = CommandHint(line: line, cursor: line.count)
        #expect(hint.parameter?.name == "port" && hint.parameterIndex == 2)
        let syntax = try #require(hint.syntax)
        let range = try #require(hint.highlight)
        #expect(String(Array(syntax)[range]) == "<port>")
        #expect(hint.parameterText?.contains("integer 0-65535") == true)
        #expect(hint.parameterText?.contains("LwM2M 服务器的端口号") == true)
        if case .rejected(_, let missing) = hint.verdict { #expect(missing) } else { Issue.record("not rejected") }
    }

    @Test func aDependingBranchFollowsWhatWasTyped() throws {
        let withPSK = #"AT+QLACONFIG=0,"h",1,"e",300,0,"#
        #expect(CommandHint(line: withPSK, cursor: withPSK.count).parameter?.name == "PSK_ID")
        let withoutPSK = #"AT+QLACONFIG=0,"h",1,"e",300,3,"#
        #expect(CommandHint(line: withoutPSK, cursor: withoutPSK.count).parameter?.name == "binding_mode")
        let cfg = #"AT+QLACFG="retransmit",2,"#
        let hint = CommandHint(line: cfg, cursor: cfg.count)
        #expect(hint.parameter?.name == "retrans_max_times")
        let syntax = try #require(hint.syntax)
        #expect(syntax == "AT+QLACFG=<key>,<ACK_timeout>,<retrans_max_times>")
        #expect(String(Array(syntax)[try #require(hint.highlight)]) == "<retrans_max_times>")
    }

    @Test func verdicts() {
        #expect(CommandHint(line: "", cursor: 0).verdict == .empty)
        #expect(CommandHint(line: "AT+QLASTATUS?", cursor: 13).verdict == .accepted)
        let outOfRange = "AT+QLACFG=\"retransmit\",30,5"
        guard case .rejected(let reason, false) = CommandHint(line: outOfRange, cursor: 5).verdict else {
            Issue.record("out of range not rejected")
            return
        }
        #expect(reason.contains("30 is outside 2-20"))
        guard case .rejected(_, false) = CommandHint(line: "AT+QBOGUS", cursor: 9).verdict else {
            Issue.record("unknown command not rejected")
            return
        }
    }

    @Test func aHalfTypedQuoteNeverTraps() {
        for line in [#"AT+QLACONFIG=0,"18"#, "AT+", "AT+QLACFG=\"", "=,,,\"", "AT+QLAADDOBJ=1,2,14,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16"] {
            for cursor in 0...line.count + 1 {
                _ = CommandHint(line: line, cursor: cursor)
            }
        }
    }
}
