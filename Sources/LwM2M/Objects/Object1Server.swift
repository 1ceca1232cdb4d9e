extension ObjectDefinition {
    /// LwM2M Server (object 1, LwM2M 1.0 Appendix E.2).
    public static let server = ObjectDefinition(
        id: 1, name: "LwM2M Server", multipleInstances: true, mandatory: true,
        resources: [
            .init(id: 0, name: "Short Server ID", operations: .read, mandatory: true, type: .integer),
            .init(id: 1, name: "Lifetime", operations: .readWrite, mandatory: true, type: .integer),
            .init(id: 2, name: "Default Minimum Period", operations: .readWrite, type: .integer),
            .init(id: 3, name: "Default Maximum Period", operations: .readWrite, type: .integer),
            .init(id: 4, name: "Disable", operations: .execute, type: .none),
            .init(id: 5, name: "Disable Timeout", operations: .readWrite, type: .integer),
            .init(id: 6, name: "Notification Storing When Disabled or Offline", operations: .readWrite,
                  mandatory: true, type: .boolean),
            .init(id: 7, name: "Binding", operations: .readWrite, mandatory: true, type: .string),
            .init(id: 8, name: "Registration Update Trigger", operations: .execute, mandatory: true, type: .none),
        ])
}

extension ObjectInstance {
    /// A Server instance: `binding` is "U" (UDP) or "UQ" (UDP with queue mode).
    public static func server(id: UInt16 = 0, shortServerID: Int64 = 123, lifetime: Int64 = 86400,
                              defaultMinimumPeriod: Int64? = nil, defaultMaximumPeriod: Int64? = nil,
                              disableTimeout: Int64 = 86400, notificationStoring: Bool = true,
                              binding: String = "U") -> ObjectInstance {
        var resources: [Resource] = [
            .single(0, .integer(shortServerID)),
            .single(1, .integer(lifetime)),
            .single(5, .integer(disableTimeout)),
            .single(6, .boolean(notificationStoring)),
            .single(7, .string(binding)),
        ]
        if let defaultMinimumPeriod { resources.append(.single(2, .integer(defaultMinimumPeriod))) }
        if let defaultMaximumPeriod { resources.append(.single(3, .integer(defaultMaximumPeriod))) }
        return ObjectInstance(id: id, resources: resources)
    }
}
