import Testing
@testable import ATProtocol

@Suite struct ATCommandLineTests {
    private func parse(_ text: String) throws(ATParseError) -> ATCommand { try ATCommandLine.parse(text).command }

    @Test func basicCommands() throws {
        #expect(try parse("AT") == .attention)
        #expect(try parse("at") == .attention)
        #expect(try parse("aT") == .attention)
        #expect(try parse("ATI") == .basic(name: "I", value: nil))
        #expect(try parse("ate0") == .basic(name: "E", value: 0))
        #expect(try parse("ATE1") == .basic(name: "E", value: 1))
        #expect(try parse("AT&F") == .basic(name: "&F", value: nil))
        #expect(try parse("  AT  ") == .attention)
    }

    @Test func fourForms() throws {
        #expect(try parse("AT+QLACFG=?") == .extended(name: "QLACFG", form: .test))
        #expect(try parse("AT+QLASTATUS?") == .extended(name: "QLASTATUS", form: .query))
        #expect(try parse("AT+QLAREG") == .extended(name: "QLAREG", form: .execute))
        #expect(try parse("at+qlaupdate=0,1000") == .extended(name: "QLAUPDATE", form: .set([.integer(0), .integer(1000)])))
        #expect(try parse("AT+QSCLK=") == .extended(name: "QSCLK", form: .set([.empty])))
    }

    @Test func parameterShapes() throws {
        let command = try parse("AT+X=1,-2,+3,\"abc\",,\"\",23.5,\"0A0b\", 7 ,U")
        #expect(command == .extended(name: "X", form: .set([
            .integer(1), .integer(-2), .integer(3), .string("abc"), .empty, .string(""),
            .token("23.5"), .string("0A0b"), .integer(7), .token("U"),
        ])))
        #expect(try parse("AT+X=,") == .extended(name: "X", form: .set([.empty, .empty])))
        #expect(try parse("AT+X=99999999999999999999") == .extended(name: "X", form: .set([.token("99999999999999999999")])))
        #expect(try parse("AT+X=-9223372036854775808") == .extended(name: "X", form: .set([.integer(Int64.min)])))
    }

    @Test func stringsKeepCommasSpacesAndInnerQuotes() throws {
        #expect(try parse("AT+X=\"a,b c\",1") == .extended(name: "X", form: .set([.string("a,b c"), .integer(1)])))
        // The Andlink write example's JSON: inner quotes are text, the string ends at `",`.
        #expect(try parse("AT+X=1,20,\"{\"outletStatus\":\"1\"}\",0")
            == .extended(name: "X", form: .set([.integer(1), .integer(20), .string("{\"outletStatus\":\"1\"}"), .integer(0)])))
        #expect(try parse("AT+X=\"中文\"") == .extended(name: "X", form: .set([.string("中文")])))
        #expect(try parse("AT+X=\"a\" ,1") == .extended(name: "X", form: .set([.string("a"), .integer(1)])))
    }

    @Test func preciseErrors() {
        let cases: [(String, ATParseError)] = [
            ("", ATParseError(.emptyLine, at: 0)),
            ("   ", ATParseError(.emptyLine, at: 0)),
            ("A", ATParseError(.missingPrefix, at: 0)),
            ("XT+QLAREG", ATParseError(.missingPrefix, at: 0)),
            ("AT+", ATParseError(.missingCommandName, at: 3)),
            ("AT+=1", ATParseError(.missingCommandName, at: 3)),
            ("AT+QLAADD OBJ=19,1,1,0", ATParseError(.invalidNameCharacter(" "), at: 9)),
            ("AT+QLA-REG", ATParseError(.invalidNameCharacter("-"), at: 6)),
            ("AT+QLASTATUS?x", ATParseError(.unexpectedText("x"), at: 13)),
            ("AT+QLACFG=?1", ATParseError(.unexpectedText("1"), at: 11)),
            ("ATE0V1", ATParseError(.unexpectedText("V1"), at: 4)),
            ("AT+CGMR;+CGSN", ATParseError(.commandConcatenation, at: 7)),
            ("AT+X=1;+Y", ATParseError(.commandConcatenation, at: 6)),
            ("AT+X=\"abc", ATParseError(.unterminatedString, at: 5)),
            ("AT+X=1,\"a\"b", ATParseError(.unterminatedString, at: 7)),
            ("AT+X=ab\"c\"", ATParseError(.quoteInUnquotedParameter, at: 7)),
            ("AT+X=1\u{1B}", ATParseError(.controlCharacter(0x1B), at: 6)),
            ("ATE12345678901", ATParseError(.numberTooLarge, at: 3)),
            ("AT中", ATParseError(.invalidNameCharacter("中"), at: 2)),
        ]
        for (text, expected) in cases {
            #expect(throws: expected, "\(text)") { try ATCommandLine.parse(text) }
        }
    }

    @Test func errorMessagesNameTheProblem() {
        let error = ATParseError(.unterminatedString, at: 5)
        #expect(error.description.contains("closing quote"))
        #expect(error.description.contains("offset 5"))
    }

    @Test func formatThenParseRoundTrips() throws {
        let lines: [ATCommandLine] = [
            ATCommandLine(.attention), ATCommandLine(.basic(name: "E", value: 0)), ATCommandLine(.basic(name: "I", value: nil)),
            .extended("QLACFG", .test), .extended("QLASTATUS", .query), .extended("QLAREG", .execute),
            .extended("QLACONFIG", .set([.integer(0), .string("180.101.147.115"), .integer(5683), .string("867724030023557"),
                                         .integer(300), .integer(3)])),
            .extended("QLANOTIFY", .set([.integer(19), .empty, .token("23.5"), .string("a\"b"), .integer(-4)])),
        ]
        for line in lines {
            #expect(try ATCommandLine.parse(line.formatted) == line)
        }
        for text in NoteExamples.chapter2Commands + NoteExamples.chapter4Commands {
            let line = try ATCommandLine.parse(text)
            #expect(line.formatted == text, "canonical text of the note's lines is the text itself")
        }
    }
}
