extension ObjectDefinition {
    /// BinaryAppDataContainer (object 19, OMA registry, version 1.0): the object the Chinese
    /// platforms use to carry application data (/19/0/0 uplink, /19/1/0 downlink).
    public static let binaryAppDataContainer = ObjectDefinition(
        id: 19, name: "BinaryAppDataContainer", multipleInstances: true,
        resources: [
            .init(id: 0, name: "Data", operations: .readWrite, multiple: true, mandatory: true, type: .opaque),
            .init(id: 1, name: "Data Priority", operations: .readWrite, type: .integer),
            .init(id: 2, name: "Data Creation Time", operations: .readWrite, type: .time),
            .init(id: 3, name: "Data Description", operations: .readWrite, type: .string),
            .init(id: 4, name: "Data Format", operations: .readWrite, type: .string),
            .init(id: 5, name: "App ID", operations: .readWrite, type: .integer),
        ])
}
