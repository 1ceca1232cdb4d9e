extension CommandSpec {
    /// 2.8 AT+QLARDRSP: answer a read.
    static let qlardrsp = CommandSpec(
        name: "AT+QLARDRSP",
        summary: "Answer a read request from the LwM2M server",
        chineseTitle: "响应读请求", section: "2.8", maximumResponseSeconds: 5,
        forms: [
            FormSpec(.set,
                     syntax: "AT+QLARDRSP=<messageID>,<result>,<objectID>,<instantID>,<resourceID>,<value_type>,<len>,<value>,<index>[,<rai_mode>]",
                     summary: "answer the read announced by +QLAURC: \"read\" with this message ID",
                     parameters: dataResponseParameters(urc: "read", operation: "read", chinese: "读取操作的结果码"),
                     rules: [.typedValue(ATValueType.allCases)],
                     responses: ["+QLARDRSP: <result_code>"]),
        ],
        responseFields: [.resultCode],
        remarks: [
            "Only a message ID announced by a read URC can be answered, and only once.",
            "A value in N parts is sent as N commands with <index> N-1 down to 0.",
        ])

    /// 2.11 AT+QLAOBSRSP: answer an observe.
    static let qlaobsrsp = CommandSpec(
        name: "AT+QLAOBSRSP",
        summary: "Answer an observe request from the LwM2M server",
        chineseTitle: "响应订阅请求", section: "2.11", maximumResponseSeconds: 5,
        forms: [
            FormSpec(.set,
                     syntax: "AT+QLAOBSRSP=<messageID>,<result>,<objectID>,<instantID>,<resourceID>,<value_type>,<len>,<value>,<index>[,<rai_mode>]",
                     summary: "answer the observe announced by +QLAURC: \"observe\" with this message ID",
                     parameters: dataResponseParameters(urc: "observe", operation: "observe", chinese: "订阅操作的结果码"),
                     rules: [.typedValue(ATValueType.allCases)],
                     responses: ["+QLAOBSRSP: <result_code>"]),
        ],
        responseFields: [.resultCode],
        remarks: [
            "Only a message ID announced by an observe URC can be answered, and only once.",
            "A successful observation survives deep sleep but not a power cycle.",
        ])

    /// The shared parameter list of AT+QLARDRSP and AT+QLAOBSRSP.
    private static func dataResponseParameters(urc: String, operation: String, chinese: String) -> [ParameterSyntax] {
        [.required(.messageID(from: urc)),
         .required(.requestResult([.content, .badRequest, .unauthorized, .notFound, .methodNotAllowed, .notAcceptable],
                                  operation: operation, chinese: chinese)),
         .required(ParameterSpec("objectID", .integer(0...65535), meaning: "object ID, from the URC", chinese: "对象 ID")),
         .required(ParameterSpec("instantID", .integer(0...65535), meaning: "instance ID, from the URC", chinese: "实例 ID")),
         .required(ParameterSpec("resourceID", .integer(0...65535), meaning: "resource ID, from the URC", chinese: "资源 ID"))]
            + ParameterSyntax.typedValue(ATValueType.allCases)
            + [.required(.index), .optional([.required(.raiMode)])]
    }
}
