extension CommandSpec {
    /// 2.4 AT+QLAUPDATE: registration update with a new lifetime or binding.
    static let qlaupdate = CommandSpec(
        name: "AT+QLAUPDATE",
        summary: "Send an update request (new lifetime or binding mode) to the IoT platform",
        chineseTitle: "发送更新请求", section: "2.4", maximumResponseSeconds: 5,
        forms: [
            FormSpec(.set, syntax: "AT+QLAUPDATE=<mode>,<lifetime>/<binding_mode>[,<rai_mode>]",
                     summary: "update the lifetime (mode 0) or the binding mode (mode 1)",
                     parameters: [
                        .required(ParameterSpec("mode", .choice([
                            AllowedValue(0, "lifetime", chinese: "生命周期"),
                            AllowedValue(1, "transport binding mode", chinese: "传输绑定模式"),
                        ]), meaning: "what to update", chinese: "操作选项")),
                        .depending(on: "mode", cases: [
                            DependentCase(when: [.integer(0)], [.required(ParameterSpec(
                                "lifetime", .integer(20...31_536_000),
                                meaning: "registration lifetime (only with mode 0)", chinese: "注册的生命周期",
                                default: .integer(86_400), unit: "s"))],
                                explanation: "mode 0 takes <lifetime>"),
                            DependentCase(when: [.integer(1)], [.required(.bindingMode)],
                                explanation: "mode 1 takes <binding_mode>"),
                        ], otherwise: []),
                        .optional([.required(.raiMode)]),
                     ],
                     responses: ["+QLAUPDATE: <result_code>,<messageID>"]),
        ],
        responseFields: [.resultCode, .messageID(from: nil)],
        remarks: [
            "Takes effect at once (whether it holds depends on the network); saved, survives deep sleep.",
            "With automatic updates off (lifetime_enable 0), ERROR when more time than the accepted lifetime has passed since the last successful update.",
        ])
}
