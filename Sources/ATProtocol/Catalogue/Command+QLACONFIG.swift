extension CommandSpec {
    /// 2.1 AT+QLACONFIG: registration parameters.
    static let qlaconfig = CommandSpec(
        name: "AT+QLACONFIG",
        summary: "Configure the LwM2M client's registration parameters",
        chineseTitle: "配置注册参数", section: "2.1", maximumResponseSeconds: 5,
        forms: [
            FormSpec(.query, syntax: "AT+QLACONFIG?",
                     summary: "report the working server's configuration; only OK when none is configured, or when bootstrap has not yet handed one out",
                     responses: ["+QLACONFIG: 0,<serverIP>,<port>,<endpoint_name>,<lifetime>,<security_mode>[,<PSK_ID>,<PSK>],<binding_mode>"]),
            FormSpec(.set,
                     syntax: "AT+QLACONFIG=<bootstrap_flag>,<serverIP>,<port>,<endpoint_name>,<lifetime>,<security_mode>[,<PSK_ID>,<PSK>][,<binding_mode>]",
                     summary: "set the server and registration parameters (only while unregistered or deregistered)",
                     parameters: [
                        .required(ParameterSpec("bootstrap_flag", .choice([
                            AllowedValue(0, "LwM2M working server", chinese: "LwM2M 工作服务器"),
                            AllowedValue(1, "LwM2M bootstrap server", chinese: "LwM2M 引导服务器"),
                        ]), meaning: "whether the server is a bootstrap server", chinese: "是否使用 LwM2M 引导服务器")),
                        .required(ParameterSpec("serverIP", .string(maxLength: 150),
                            meaning: "IP address or domain name of the LwM2M server", chinese: "LwM2M 服务器的 IP 地址或域名")),
                        .required(ParameterSpec("port", .integer(0...65535),
                            meaning: "port of the LwM2M server", chinese: "LwM2M 服务器的端口号")),
                        .required(ParameterSpec("endpoint_name", .string(maxLength: 150),
                            meaning: "endpoint name of the device", chinese: "设备的端点名称")),
                        .required(.lifetime),
                        .required(ParameterSpec("security_mode", .choice([
                            AllowedValue(0, "DTLS with a pre-shared key", chinese: "DTLS 预共享密钥加密模式"),
                            AllowedValue(3, "no security", chinese: "非加密模式"),
                        ]), meaning: "security mode", chinese: "加密模式")),
                        .depending(on: "security_mode", cases: [
                            DependentCase(when: [.integer(0)], [
                                .required(ParameterSpec("PSK_ID", .string(maxLength: 150),
                                    meaning: "pre-shared key identity (only with security_mode 0)", chinese: "预共享密钥标识符")),
                                .required(ParameterSpec("PSK", .string(maxLength: 256),
                                    meaning: "pre-shared key (only with security_mode 0)", chinese: "预共享密钥")),
                            ], explanation: "<PSK_ID> and <PSK> are given only when <security_mode> is 0"),
                        ], otherwise: []),
                        .optional([.required(.bindingMode)]),
                     ],
                     responses: []),
        ],
        remarks: [
            "Takes effect at once. A working server's parameters are saved and survive deep sleep; a bootstrap server's are not saved, only the working server it hands out.",
            "Reconfiguring makes the module register (or bootstrap) with the new parameters.",
            "security_mode 0 raises power consumption; not recommended without a need.",
            "ERROR when a parameter is wrong or the LwM2M status is not unregistered (0) or deregistered (4).",
            "Update interval from lifetime L: L<=30: L/2; L<=50: 15+(L-30)*3/4; L<=100: 30+(L-50)*4/5; L<=300: 70+(L-100)*9/10; else 250+(L-300)*19/20.",
        ])
}
