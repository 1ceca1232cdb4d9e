import Testing
@testable import ATProtocol

@Suite struct ATResponseLineTests {
    @Test func builders() {
        #expect(ATResponseLine.ok.framed == "\r\nOK\r\n")
        #expect(ATResponseLine.error.framed == "\r\nERROR\r\n")
        #expect(ATResponseLine.information("QLAREG", .integer(0)).text == "+QLAREG: 0")
        #expect(ATResponseLine.information("CGPADDR", .integer(0), .string("10.177.135.245")).text == "+CGPADDR: 0,\"10.177.135.245\"")
        #expect(ATResponseLine.information("QLACFG", .string("retransmit"), .integer(2), .integer(5)).text == "+QLACFG: \"retransmit\",2,5")
        #expect(ATResponseLine.information("X", .integer(1), .empty, .token("U")).text == "+X: 1,,U")
        #expect(ATResponseLine.frame([.information("QLASTATUS", .integer(2)), .ok]) == "\r\n+QLASTATUS: 2\r\n\r\nOK\r\n")
        #expect(ATResponseLine.information("QLAREG", .integer(0)).framedBytes == Array("\r\n+QLAREG: 0\r\n".utf8))
    }

    @Test func parsing() {
        #expect(ATResponseLine.parse("OK") == .ok)
        #expect(ATResponseLine.parse("ERROR") == .error)
        #expect(ATResponseLine.parse("RDY") == .text("RDY"))
        #expect(ATResponseLine.parse("Revision: BC260YCNAAR01A02") == .text("Revision: BC260YCNAAR01A02"))
        #expect(ATResponseLine.parse("+CFUN: 1") == .information("CFUN", .integer(1)))
        #expect(ATResponseLine.parse("+CPIN: READY") == .information("CPIN", .token("READY")))
        #expect(ATResponseLine.parse("+CME ERROR: 50") == .information("CME ERROR", .integer(50)))
        #expect(ATResponseLine.parse("+CME ERROR: 50").isFinalResult)
        #expect(ATResponseLine.parse("+QLACFG: \"retransmit\",(2-20),(0-8)")
            == .information("QLACFG", .string("retransmit"), .token("(2-20)"), .token("(0-8)")))
        #expect(ATResponseLine.parse("+CSQ: (0-31,99),(0-7,99)") == .information("CSQ", .token("(0-31,99)"), .token("(0-7,99)")))
        // A line whose fields do not read stays text rather than being guessed at.
        #expect(ATResponseLine.parse("+X: \"open") == .text("+X: \"open"))
        #expect(ATResponseLine.parse("+QLAURC:") == .information(name: "QLAURC", values: []))
    }

    @Test func formatThenParseRoundTrips() {
        let lines: [ATResponseLine] = [
            .ok, .error, .text("RDY"), .text("Quectel"),
            .information("QLAUPDATE", .integer(0), .integer(59797)),
            .information("QLACONFIG", .integer(0), .string("lwm.home.komect.com"), .integer(5683), .string("ep"), .integer(30), .integer(3), .integer(0)),
            .information("QLAURC", .string("write"), .integer(8096), .integer(19), .integer(1), .integer(0), .integer(1), .integer(20),
                         .string("{\"outletStatus\":\"1\"}"), .integer(0)),
        ]
        for line in lines { #expect(ATResponseLine.parse(line.text) == line) }
    }

    @Test func framedBytesAreTheFramedText() {
        let lines: [ATResponseLine] = [
            .ok, .error, .text("RDY"), .text(""), .text("测试"), .information(name: "QLAURC", values: []),
            .information("X", .integer(1), .empty, .token("U")), .information("X", .empty), .information("N", .integer(-42)),
            .information("QLACFG", .string("retransmit"), .token("(2-20)"), .token("(0-8)")),
            .information("QLAURC", .string("write"), .integer(8096), .string("{\"outletStatus\":\"1\"}"), .string("")),
        ]
        for line in lines { #expect(line.framedBytes == Array(line.framed.utf8), "\(line)") }
        var bytes: [UInt8] = [0x41]
        ATResponseLine.ok.appendFramed(to: &bytes)
        ATValue.string("a").appendFormatted(to: &bytes)
        #expect(bytes == Array("A\r\nOK\r\n\"a\"".utf8))
    }
}
