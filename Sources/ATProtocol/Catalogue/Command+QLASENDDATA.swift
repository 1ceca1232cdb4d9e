extension CommandSpec {
    /// 2.13 AT+QLASENDDATA (printed AT+QLASENDATA in the heading and the Andlink example):
    /// send data straight to the server.
    static let qlasenddata = CommandSpec(
        name: "AT+QLASENDDATA", aliases: ["AT+QLASENDATA"],
        summary: "Send data directly to the registered server (Andlink only)",
        chineseTitle: "直接发送数据", section: "2.13", maximumResponseSeconds: 5,
        forms: [
            FormSpec(.set, syntax: "AT+QLASENDDATA=<value_type>,<len>,<value>[,<ACK>[,<rai_mode>]]",
                     summary: "send the bytes; NON with ACK 0, CON with ACK 1",
                     parameters: ParameterSyntax.typedValue([.string, .opaque])
                        + [.optional([.required(.ack), .optional([.required(.raiMode)])])],
                     rules: [.typedValue([.string, .opaque])],
                     responses: [
                        "+QLASENDDATA: <result_code>,<messageID>",
                        "+QLAURC: \"send_ack\",<result_code>,<messageID> (ACK 1)",
                     ]),
        ],
        responseFields: [.resultCode, .messageID(from: nil)],
        remarks: [
            "Only for the China Mobile Andlink platform (platform 2).",
            "Both spellings are accepted; the answer uses the one typed.",
            "With <value_type> 1 the value is quoted and its length must equal <len>.",
        ])
}
