// The basic commands a bench user types first. The LwM2M note does not document them (it points
// to the module's AT command manual); their syntax follows V.250 / 3GPP TS 27.007 and what the
// note's examples show, so they carry no section and no Chinese title.
extension CommandSpec {
    static let attention = CommandSpec(
        name: "AT", summary: "Attention: check that the module answers",
        chineseTitle: nil, section: nil, maximumResponseSeconds: nil,
        forms: [FormSpec(.execute, syntax: "AT", summary: "answer OK")])

    static let identification = CommandSpec(
        name: "ATI", summary: "Product identification: manufacturer, model and firmware revision",
        chineseTitle: nil, section: nil, maximumResponseSeconds: nil,
        forms: [FormSpec(.execute, syntax: "ATI", summary: "print the identification",
                         responses: ["Quectel", "BC260Y-CN", "Revision: <revision>"])])

    static let echo = CommandSpec(
        name: "ATE", summary: "Echo of command lines on or off (on after power-up)",
        chineseTitle: nil, section: nil, maximumResponseSeconds: nil,
        forms: [
            FormSpec(.execute, syntax: "ATE", summary: "echo off (as ATE0)"),
            FormSpec(.set, syntax: "ATE<value>", summary: "ATE0 echo off, ATE1 echo on",
                     parameters: [.required(ParameterSpec("value", .choice([
                        AllowedValue(0, "echo off"), AllowedValue(1, "echo on"),
                     ]), meaning: "whether the module echoes the characters it receives", default: .integer(1)))]),
        ])

    static let cgmi = identity("AT+CGMI", "Manufacturer identification", response: "Quectel")
    static let cgmm = identity("AT+CGMM", "Model identification", response: "BC260Y-CN")
    static let cgmr = identity("AT+CGMR", "Firmware revision identification", response: "Revision: <revision>")
    static let cimi = identity("AT+CIMI", "International mobile subscriber identity (IMSI) of the SIM", response: "<IMSI>")

    private static func identity(_ name: String, _ summary: String, response: String) -> CommandSpec {
        CommandSpec(name: name, summary: summary, chineseTitle: nil, section: nil, maximumResponseSeconds: nil,
                    forms: [FormSpec(.execute, syntax: name, summary: "print it", responses: [response])])
    }

    static let cgsn = CommandSpec(
        name: "AT+CGSN", summary: "Product serial number: SN, IMEI, IMEISV or SVN",
        chineseTitle: nil, section: nil, maximumResponseSeconds: nil,
        forms: [
            FormSpec(.execute, syntax: "AT+CGSN", summary: "print the serial number", responses: ["<SN>"]),
            FormSpec(.set, syntax: "AT+CGSN=<snt>", summary: "print the identity chosen by <snt>",
                     parameters: [.required(ParameterSpec("snt", .choice([
                        AllowedValue(0, "serial number"), AllowedValue(1, "IMEI"),
                        AllowedValue(2, "IMEISV"), AllowedValue(3, "software version number"),
                     ]), meaning: "which identity", default: .integer(0)))],
                     responses: ["+CGSN: <IMEI> (snt 1)"]),
        ])

    static let cfun = CommandSpec(
        name: "AT+CFUN", summary: "Phone functionality: minimum or full",
        chineseTitle: nil, section: nil, maximumResponseSeconds: nil,
        forms: [
            FormSpec(.query, syntax: "AT+CFUN?", summary: "report the level", responses: ["+CFUN: <fun>"]),
            FormSpec(.set, syntax: "AT+CFUN=<fun>[,<rst>]", summary: "set the level",
                     parameters: [
                        .required(ParameterSpec("fun", .choice([
                            AllowedValue(0, "minimum functionality (radio off)"), AllowedValue(1, "full functionality"),
                        ]), meaning: "functionality level", default: .integer(1))),
                        .optional([.required(ParameterSpec("rst", .choice([
                            AllowedValue(0, "do not reset"), AllowedValue(1, "reset before setting"),
                        ]), meaning: "whether to reset first", default: .integer(0)))]),
                     ]),
        ])

    static let cereg = CommandSpec(
        name: "AT+CEREG", summary: "EPS network registration status",
        chineseTitle: nil, section: nil, maximumResponseSeconds: nil,
        forms: [
            FormSpec(.query, syntax: "AT+CEREG?", summary: "report the URC setting and the registration state",
                     responses: ["+CEREG: <n>,<stat>"]),
            FormSpec(.set, syntax: "AT+CEREG=<n>", summary: "choose which +CEREG URC is reported",
                     parameters: [.required(ParameterSpec("n", .integer(0...5),
                        meaning: "URC level: 0 off, 1 registration, 2 with location, 3 with cause, 4-5 with PSM timers",
                        default: .integer(0)))]),
        ],
        responseFields: [ParameterSpec("stat", .choice([
            AllowedValue(0, "not registered, not searching"), AllowedValue(1, "registered, home network"),
            AllowedValue(2, "not registered, searching"), AllowedValue(3, "registration denied"),
            AllowedValue(4, "unknown"), AllowedValue(5, "registered, roaming"),
        ]), meaning: "registration state")])

    static let cgpaddr = CommandSpec(
        name: "AT+CGPADDR", summary: "PDP addresses of the contexts",
        chineseTitle: nil, section: nil, maximumResponseSeconds: nil,
        forms: [
            FormSpec(.execute, syntax: "AT+CGPADDR", summary: "list every context's address",
                     responses: ["+CGPADDR: <cid>,<PDP_addr>"]),
            FormSpec(.query, syntax: "AT+CGPADDR?", summary: "list every context's address (as the note's examples use it)",
                     responses: ["+CGPADDR: <cid>,<PDP_addr>"]),
            FormSpec(.set, syntax: "AT+CGPADDR=<cid>", summary: "the address of one context",
                     parameters: [.required(ParameterSpec("cid", .integer(0...10), meaning: "PDP context identifier"))],
                     responses: ["+CGPADDR: <cid>,<PDP_addr>"]),
        ])

    static let csq = CommandSpec(
        name: "AT+CSQ", summary: "Signal quality",
        chineseTitle: nil, section: nil, maximumResponseSeconds: nil,
        forms: [FormSpec(.execute, syntax: "AT+CSQ", summary: "report RSSI and bit error rate",
                         responses: ["+CSQ: <rssi>,<ber>"])],
        testAnswer: [.information("CSQ", .token("(0-31,99)"), .token("(0-7,99)"))])

    static let qsclk = CommandSpec(
        name: "AT+QSCLK", summary: "Forbid or allow sleep (deep sleep when allowed)",
        chineseTitle: nil, section: nil, maximumResponseSeconds: nil,
        forms: [
            FormSpec(.query, syntax: "AT+QSCLK?", summary: "report the setting", responses: ["+QSCLK: <n>"]),
            FormSpec(.set, syntax: "AT+QSCLK=<n>", summary: "forbid (0) or allow (1) sleep",
                     parameters: [.required(ParameterSpec("n", .choice([
                        AllowedValue(0, "sleep forbidden", chinese: "禁用休眠模式"),
                        AllowedValue(1, "sleep allowed", chinese: "启用休眠模式"),
                     ]), meaning: "sleep mode"))]),
        ])

    static let qrst = CommandSpec(
        name: "AT+QRST", summary: "Reset the module",
        chineseTitle: nil, section: nil, maximumResponseSeconds: nil,
        forms: [FormSpec(.set, syntax: "AT+QRST=1", summary: "reset at once",
                         parameters: [.required(ParameterSpec("mode", .choice([AllowedValue(1, "immediate reset")]),
                                                              meaning: "reset mode"))])])
}
