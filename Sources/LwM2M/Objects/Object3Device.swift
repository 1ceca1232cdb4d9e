extension ObjectDefinition {
    /// Device (object 3, LwM2M 1.0 Appendix E.4, with the 1.1 resources 17–22). In this project
    /// /3/0/17 "Device Type" holds the Andlink product id that `AT+QLACFG="cfg_res",3,0,17,...`
    /// sets.
    public static let device = ObjectDefinition(
        id: 3, name: "Device", multipleInstances: false, mandatory: true,
        resources: [
            .init(id: 0, name: "Manufacturer", operations: .read, type: .string),
            .init(id: 1, name: "Model Number", operations: .read, type: .string),
            .init(id: 2, name: "Serial Number", operations: .read, type: .string),
            .init(id: 3, name: "Firmware Version", operations: .read, type: .string),
            .init(id: 4, name: "Reboot", operations: .execute, mandatory: true, type: .none),
            .init(id: 5, name: "Factory Reset", operations: .execute, type: .none),
            .init(id: 6, name: "Available Power Sources", operations: .read, multiple: true, type: .integer),
            .init(id: 7, name: "Power Source Voltage", operations: .read, multiple: true, type: .integer),
            .init(id: 8, name: "Power Source Current", operations: .read, multiple: true, type: .integer),
            .init(id: 9, name: "Battery Level", operations: .read, type: .integer),
            .init(id: 10, name: "Memory Free", operations: .read, type: .integer),
            .init(id: 11, name: "Error Code", operations: .read, multiple: true, mandatory: true, type: .integer),
            .init(id: 12, name: "Reset Error Code", operations: .execute, type: .none),
            .init(id: 13, name: "Current Time", operations: .readWrite, type: .time),
            .init(id: 14, name: "UTC Offset", operations: .readWrite, type: .string),
            .init(id: 15, name: "Timezone", operations: .readWrite, type: .string),
            .init(id: 16, name: "Supported Binding and Modes", operations: .read, mandatory: true, type: .string),
            .init(id: 17, name: "Device Type", operations: .read, type: .string),
            .init(id: 18, name: "Hardware Version", operations: .read, type: .string),
            .init(id: 19, name: "Software Version", operations: .read, type: .string),
            .init(id: 20, name: "Battery Status", operations: .read, type: .integer),
            .init(id: 21, name: "Memory Total", operations: .read, type: .integer),
            .init(id: 22, name: "ExtDevInfo", operations: .read, multiple: true, type: .objlnk),
        ])
}

extension ObjectInstance {
    /// The BC260Y-CN's Device instance. `currentTime` is seconds since the epoch; the caller
    /// supplies it (the model never reads a clock). `deviceType` is the Andlink product id.
    public static func device(manufacturer: String = "Quectel", model: String = "BC260Y-CN",
                              serialNumber: String, firmwareVersion: String = "BC260YCNAAR01A02",
                              deviceType: String? = nil, currentTime: Int64 = 0, utcOffset: String = "+08:00",
                              binding: String = "UQ", batteryLevel: Int64? = nil, memoryFree: Int64? = nil,
                              errorCodes: [Int64] = [0]) -> ObjectInstance {
        var resources: [Resource] = [
            .single(0, .string(manufacturer)),
            .single(1, .string(model)),
            .single(2, .string(serialNumber)),
            .single(3, .string(firmwareVersion)),
            .multiple(11, Dictionary(uniqueKeysWithValues: errorCodes.enumerated().map { (UInt16($0.offset), .integer($0.element)) })),
            .single(13, .time(currentTime)),
            .single(14, .string(utcOffset)),
            .single(16, .string(binding)),
        ]
        if let deviceType { resources.append(.single(17, .string(deviceType))) }
        if let batteryLevel { resources.append(.single(9, .integer(batteryLevel))) }
        if let memoryFree { resources.append(.single(10, .integer(memoryFree))) }
        return ObjectInstance(id: 0, resources: resources)
    }
}
