extension CommandSpec {
    /// 2.9 AT+QLAWRRSP: answer a write.
    static let qlawrrsp = CommandSpec(
        name: "AT+QLAWRRSP",
        summary: "Answer a write request from the LwM2M server",
        chineseTitle: "响应写请求", section: "2.9", maximumResponseSeconds: 5,
        forms: [
            FormSpec(.set, syntax: "AT+QLAWRRSP=<messageID>,<result>[,<rai_mode>]",
                     summary: "answer the write announced by +QLAURC: \"write\" with this message ID",
                     parameters: changeResponseParameters(urc: "write", operation: "write", chinese: "写入操作的结果码"),
                     responses: ["+QLAWRRSP: <result_code>"]),
        ],
        responseFields: [.resultCode],
        remarks: ["Only a message ID announced by a write URC can be answered, and only once."])

    /// 2.10 AT+QLAEXERSP: answer an execute.
    static let qlaexersp = CommandSpec(
        name: "AT+QLAEXERSP",
        summary: "Answer an execute request from the LwM2M server",
        chineseTitle: "响应执行请求", section: "2.10", maximumResponseSeconds: 5,
        forms: [
            FormSpec(.set, syntax: "AT+QLAEXERSP=<messageID>,<result>[,<rai_mode>]",
                     summary: "answer the execute announced by +QLAURC: \"execute\" with this message ID",
                     parameters: changeResponseParameters(urc: "execute", operation: "execute", chinese: "执行操作的结果码"),
                     responses: ["+QLAEXERSP: <result_code>"]),
        ],
        responseFields: [.resultCode],
        remarks: ["Only a message ID announced by an execute URC can be answered, and only once."])

    private static func changeResponseParameters(urc: String, operation: String, chinese: String) -> [ParameterSyntax] {
        [.required(.messageID(from: urc)),
         .required(.requestResult([.changed, .badRequest, .unauthorized, .notFound, .methodNotAllowed],
                                  operation: operation, chinese: chinese)),
         .optional([.required(.raiMode)])]
    }
}
