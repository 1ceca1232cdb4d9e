import CoAP
import LwM2M
import ModuleCore
import Testing
@testable import Platforms

/// Chapters 4.3.2 (CT AEP at 221.229.214.202) and 4.4.2 (CM Andlink, bootstrap through
/// lwm.home.komect.com) typed at the emulator with the note's command lines, in virtual time.
@Suite("Emulator: note 4.3.2 CT AEP and 4.4.2 CM Andlink")
struct EmulatorAEPAndAndlinkTests {
    static let aepEndpoint = "urn:imei-imsi:866971030603068-460111174747875"
    static let andlinkIMEI = "866971031275899"

    /// The note's 71-byte JSON answer to the read of /19/1/0 (the hex wraps over three lines there).
    static let readAnswer = "7b226f75746c6574537461747573223a2231222c227365745469"
        + "6d65223a2231222c226669726d77617265223a22312e30222c22736f667456657273696f6e223a22312e30227d"
    /// The note's 112-byte SenML JSON for QLASENDATA.
    static let sendPayload = "5b7b226e223a222f31392f312f30222c227673223a227b5c226f75746c657"
        + "45374617475735c223a5c22305c222c5c2273657454696d655c223a5c22315c222c5c226669726d7761"
        + "72655c223a5c22312e305c222c5c22736f667456657273696f6e5c223a5c22312e305c227d227d5d"

    static func expectLines(_ bench: inout EmulatorBench, _ command: String, _ expected: [String],
                            sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(bench.type(command) == [command] + expected, sourceLocation: sourceLocation)
    }

    @Test func aepExample() throws {
        var bench = EmulatorBench(Emulator.Configuration(identity: ModuleIdentity(imei: "866971030603068",
                                                                                  imsi: "460111174747875")))
        #expect(bench.run(for: 0) == ["RDY", "+CFUN: 1", "+CPIN: READY"])
        Self.expectLines(&bench, "AT+QSCLK=0", ["OK"])
        Self.expectLines(&bench, "AT+CEREG?", ["+CEREG: 0,1", "OK"])
        Self.expectLines(&bench, "AT+CGPADDR?", [#"+CGPADDR: 0,"10.177.135.245""#, "OK"])
        Self.expectLines(&bench, #"AT+QLACFG="platform",1"#, ["OK"])
        Self.expectLines(&bench, #"AT+QLACONFIG=0,"221.229.214.202",5683,"\#(Self.aepEndpoint)",30,3"#, ["OK"])
        Self.expectLines(&bench, "AT+QLAADDOBJ=19,0,1,0", ["OK"])
        Self.expectLines(&bench, "AT+QLAADDOBJ=19,1,1,0", ["OK"])

        let reg = bench.type("AT+QLAREG")
        try #require(reg.count == 4, "\(reg)")
        let observeID = try #require(urcField(reg[3], 1))
        #expect(reg == ["AT+QLAREG", "OK", "+QLAREG: 0", #"+QLAURC: "observe",\#(observeID),0,19,0,0"#])
        #expect(bench.emulator.platform(.ctAEP)?.registrations.map(\.endpoint) == [Self.aepEndpoint])
        #expect(bench.emulator.platform(.ctIoT)?.registrations.isEmpty == true)

        Self.expectLines(&bench, #"AT+QLAOBSRSP=\#(observeID),1,19,0,0,2,9,"020001000400023238",0"#,
                         ["OK", "+QLAOBSRSP: 0"])
        Self.expectLines(&bench, #"AT+QLANOTIFY=19,0,0,2,9,"020001000400023238",0,0"#, ["OK", "+QLANOTIFY: 0"])
        let con = #"AT+QLANOTIFY=19,0,0,2,9,"020001000400023238",0,1"#
        let lines = bench.type(con)
        let report = try #require(lines.count == 5 ? urcField(lines[2], 1) : nil, "\(lines)")
        #expect(lines == [con, "OK", #"+QLAURC: "report",\#(report)"#, "+QLANOTIFY: 0", #"+QLAURC: "report_ack",0,\#(report)"#])
        let texts = bench.takePlatformTexts()
        #expect(texts.contains("notification #1 /19/0/0 from \(Self.aepEndpoint) (seq 1)"))
        #expect(texts.contains("notification #1 /19/0/0 from \(Self.aepEndpoint) (seq 2)"))

        let update = bench.type("AT+QLAUPDATE=0,100")
        #expect(update.count == 3 && update.last?.hasPrefix("+QLAUPDATE: 0,") == true, "\(update)")
        #expect(bench.emulator.platform(.ctAEP)?.registrations.first?.lifetime == 100)
        Self.expectLines(&bench, "AT+QLADEREG", ["OK", "+QLADEREG: 0"])
        Self.expectLines(&bench, "AT+QSCLK=1", ["OK"])
        #expect(bench.external.isEmpty && bench.diagnostics.isEmpty, "\(bench.diagnostics)")
    }

    @Test func aepRefusesAnEndpointThatIsNotIMEIAndIMSI() {
        var bench = EmulatorBench()
        #expect(bench.run(for: 0).count == 3)
        Self.expectLines(&bench, #"AT+QLACONFIG=0,"221.229.214.202",5683,"867724030023557",30,3"#, ["OK"])
        Self.expectLines(&bench, "AT+QLAADDOBJ=19,0,1,0", ["OK"])
        Self.expectLines(&bench, "AT+QLAREG", ["OK", "+QLAREG: 403"])
        #expect(bench.takePlatformTexts().contains { $0.hasPrefix("refused registration of 867724030023557") })
    }

    @Test func andlinkExample() throws {
        var bench = EmulatorBench(Emulator.Configuration(identity: ModuleIdentity(imei: Self.andlinkIMEI)))
        #expect(bench.run(for: 0) == ["RDY", "+CFUN: 1", "+CPIN: READY"])
        Self.expectLines(&bench, "AT+QSCLK=0", ["OK"])
        Self.expectLines(&bench, "AT+CEREG?", ["+CEREG: 0,1", "OK"])
        Self.expectLines(&bench, "AT+CGPADDR?", [#"+CGPADDR: 0,"10.177.135.245""#, "OK"])
        Self.expectLines(&bench, #"AT+QLACFG="platform",2"#, ["OK"])
        Self.expectLines(&bench, #"AT+QLACFG="cfg_res",3,0,17,"500677""#, ["OK"])
        Self.expectLines(&bench, "AT+QLAADDOBJ=19,1,1,0", ["OK"])
        Self.expectLines(&bench, #"AT+QLACONFIG=1,"lwm.home.komect.com",5683,"\#(Self.andlinkIMEI)",30,3"#, ["OK"])

        // Bootstrap, register, and the platform's read of /19/1/0.
        let reg = bench.type("AT+QLAREG")
        try #require(reg.count == 6, "\(reg)")
        let readID = try #require(urcField(reg[5], 1))
        #expect(reg == ["AT+QLAREG", "OK", #"+QLAURC: "binding_changed",U"#, #"+QLAURC: "bs_finished""#,
                        "+QLAREG: 0", #"+QLAURC: "read",\#(readID),19,1,0"#])
        let platform = try #require(bench.emulator.platform(.andlink))
        #expect(platform.registrations.map(\.endpoint) == [Self.andlinkIMEI])
        var texts = bench.takePlatformTexts()
        #expect(texts.contains("bootstrap of \(Self.andlinkIMEI) finished"))
        #expect(texts.contains("#1 Read /19/1/0 on \(Self.andlinkIMEI) (automatic, after registration)"))
        // The product id set with cfg_res is in the device object.
        let productLines = bench.platform("read \(Self.andlinkIMEI) /3/0/17", on: .andlink)
        #expect(productLines == ["#2 Read /3/0/17 on \(Self.andlinkIMEI): sent"])
        texts = bench.takePlatformTexts()
        #expect(texts.contains(#"    /3/0/17 = "500677""#), "\(texts)")

        // The TE answers the read with the 71-byte JSON; the platform then writes its command.
        let read = #"AT+QLARDRSP=\#(readID),1,19,1,0,2,71,"\#(Self.readAnswer)",0"#
        let afterRead = bench.type(read)
        try #require(afterRead.count == 4, "\(afterRead)")
        let writeID = try #require(urcField(afterRead[3], 1))
        #expect(afterRead == [read, "OK", "+QLARDRSP: 0",
                              #"+QLAURC: "write",\#(writeID),19,1,0,1,20,"{"outletStatus":"1"}",0"#])
        texts = bench.takePlatformTexts()
        #expect(texts.contains("#1 Read /19/1/0 on \(Self.andlinkIMEI): 2.05 Content"))
        #expect(texts.contains { $0.contains(#"{"outletStatus":"1","setTime":"1","firmware":"1.0","softVersion":"1.0"}"#) },
                "\(texts)")
        Self.expectLines(&bench, "AT+QLAWRRSP=\(writeID),2", ["OK", "+QLAWRRSP: 0"])
        #expect(bench.takePlatformTexts().contains { $0.hasPrefix("#3 Write /19/1/0 on \(Self.andlinkIMEI): 2.04") })

        // Send data: NON, then CON with send_ack.
        let non = #"AT+QLASENDATA=2,112,"\#(Self.sendPayload)",0"#
        let nonLines = bench.type(non)
        let nonID = try #require(nonLines.count == 3 ? urcField(nonLines[2], 1) : nil, "\(nonLines)")
        #expect(nonLines == [non, "OK", "+QLASENDATA: 0,\(nonID)"])
        texts = bench.takePlatformTexts()
        #expect(texts.contains { $0.hasPrefix("Send from \(Self.andlinkIMEI)") && $0.hasSuffix("112 bytes)") }, "\(texts)")
        let con = #"AT+QLASENDATA=2,112,"\#(Self.sendPayload)",1"#
        let conLines = bench.type(con)
        let conID = try #require(conLines.count == 4 ? urcField(conLines[2], 1) : nil, "\(conLines)")
        #expect(conLines == [con, "OK", "+QLASENDATA: 0,\(conID)", #"+QLAURC: "send_ack",0,\#(conID)"#])
        #expect(conID != nonID)

        let update = bench.type("AT+QLAUPDATE=0,100")
        #expect(update.count == 3 && update.last?.hasPrefix("+QLAUPDATE: 0,") == true, "\(update)")
        Self.expectLines(&bench, "AT+QLADEREG", ["OK", "+QLADEREG: 0"])
        // The note's AT+QSCCLK=1 is a typo for this.
        Self.expectLines(&bench, "AT+QSCLK=1", ["OK"])
        #expect(bench.external.isEmpty && bench.diagnostics.isEmpty, "\(bench.diagnostics)")
    }
}
