extension ObjectDefinition {
    /// Firmware Update (object 5, LwM2M 1.0 Appendix E.6).
    public static let firmwareUpdate = ObjectDefinition(
        id: 5, name: "Firmware Update", multipleInstances: false,
        resources: [
            .init(id: 0, name: "Package", operations: .write, mandatory: true, type: .opaque),
            .init(id: 1, name: "Package URI", operations: .readWrite, mandatory: true, type: .string),
            .init(id: 2, name: "Update", operations: .execute, mandatory: true, type: .none),
            .init(id: 3, name: "State", operations: .read, mandatory: true, type: .integer),
            .init(id: 4, name: "Update Supported Objects", operations: .readWrite, type: .boolean),
            .init(id: 5, name: "Update Result", operations: .read, mandatory: true, type: .integer),
            .init(id: 6, name: "PkgName", operations: .read, type: .string),
            .init(id: 7, name: "PkgVersion", operations: .read, type: .string),
            .init(id: 8, name: "Firmware Update Protocol Support", operations: .read, multiple: true, type: .integer),
            .init(id: 9, name: "Firmware Update Delivery Method", operations: .read, mandatory: true, type: .integer),
        ])
}

/// Firmware Update State (/5/0/3).
public enum FirmwareUpdateState: Int64, Hashable, Sendable {
    case idle = 0, downloading = 1, downloaded = 2, updating = 3
}

/// Firmware Update Delivery Method (/5/0/9).
public enum FirmwareDeliveryMethod: Int64, Hashable, Sendable {
    case pull = 0, push = 1, both = 2
}

extension ObjectInstance {
    /// An idle Firmware Update instance. `protocols`: 0 CoAP, 1 CoAPS, 2 HTTP, 3 HTTPS.
    public static func firmwareUpdate(state: FirmwareUpdateState = .idle, updateResult: Int64 = 0,
                                      protocols: [Int64] = [0], delivery: FirmwareDeliveryMethod = .push) -> ObjectInstance {
        ObjectInstance(id: 0, resources: [
            .single(1, .string("")),
            .single(3, .integer(state.rawValue)),
            .single(5, .integer(updateResult)),
            .multiple(8, Dictionary(uniqueKeysWithValues: protocols.enumerated().map { (UInt16($0.offset), .integer($0.element)) })),
            .single(9, .integer(delivery.rawValue)),
        ])
    }
}
