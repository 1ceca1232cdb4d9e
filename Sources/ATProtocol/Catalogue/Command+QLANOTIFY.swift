extension CommandSpec {
    /// 2.12 AT+QLANOTIFY: notify an observed resource's value.
    static let qlanotify = CommandSpec(
        name: "AT+QLANOTIFY",
        summary: "Report the data of an observed resource",
        chineseTitle: "上报被订阅资源的数据", section: "2.12", maximumResponseSeconds: 5,
        forms: [
            FormSpec(.set,
                     syntax: "AT+QLANOTIFY=<objectID>,<instantID>,<resourceID>,<value_type>,<len>,<value>,<index>[,<ACK>[,<rai_mode>]]",
                     summary: "send a notification; NON with ACK 0, CON with ACK 1",
                     parameters: [.required(.objectID), .required(.instantID), .required(.resourceID)]
                        + ParameterSyntax.typedValue(ATValueType.allCases)
                        + [.required(.index), .optional([.required(.ack), .optional([.required(.raiMode)])])],
                     rules: [.typedValue(ATValueType.allCases)],
                     responses: [
                        "+QLANOTIFY: <result_code> (ACK 0)",
                        "+QLAURC: \"report\",<messageID> / +QLANOTIFY: <result_code> / +QLAURC: \"report_ack\",<result_code>,<messageID> (ACK 1)",
                     ]),
        ],
        responseFields: [.resultCode, .messageID(from: nil)],
        remarks: [
            "Only an observed resource can be notified.",
            "With <value_type> 1 the value is quoted and its length must equal <len>.",
        ])
}
