extension CommandSpec {
    /// 2.3 AT+QLAREG: register.
    static let qlareg = CommandSpec(
        name: "AT+QLAREG",
        summary: "Send a registration request to the IoT platform",
        chineseTitle: "发送注册请求", section: "2.3", maximumResponseSeconds: 5,
        forms: [
            FormSpec(.execute, syntax: "AT+QLAREG", summary: "register (or bootstrap, then register)",
                     responses: ["+QLAREG: <result_code>"]),
        ],
        responseFields: [.resultCode],
        remarks: ["ERROR when the LwM2M status is not unregistered."])

    /// 2.5 AT+QLADEREG: deregister.
    static let qladereg = CommandSpec(
        name: "AT+QLADEREG",
        summary: "Send a deregistration request to the IoT platform",
        chineseTitle: "发送注销请求", section: "2.5", maximumResponseSeconds: 5,
        forms: [
            FormSpec(.execute, syntax: "AT+QLADEREG", summary: "deregister",
                     responses: ["+QLADEREG: <result_code>"]),
        ],
        responseFields: [.resultCode])

    /// 2.14 AT+QLASTATUS: the LwM2M status.
    static let qlastatus = CommandSpec(
        name: "AT+QLASTATUS",
        summary: "Query the current LwM2M status",
        chineseTitle: "查询当前 LwM2M 状态", section: "2.14", maximumResponseSeconds: 5,
        forms: [
            FormSpec(.query, syntax: "AT+QLASTATUS?", summary: "report the LwM2M status",
                     responses: ["+QLASTATUS: <status>"]),
        ],
        responseFields: [ParameterSpec("status", .choice(LwM2MStatus.allCases.map {
            AllowedValue($0.rawValue, $0.meaning, chinese: $0.chineseTerm)
        }), meaning: "LwM2M status", chinese: "LwM2M 状态")])
}
