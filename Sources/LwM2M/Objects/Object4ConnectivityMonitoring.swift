extension ObjectDefinition {
    /// Connectivity Monitoring (object 4, LwM2M 1.0 Appendix E.5; resources 11–12 from 1.1).
    public static let connectivityMonitoring = ObjectDefinition(
        id: 4, name: "Connectivity Monitoring", multipleInstances: false,
        resources: [
            .init(id: 0, name: "Network Bearer", operations: .read, mandatory: true, type: .integer),
            .init(id: 1, name: "Available Network Bearer", operations: .read, multiple: true, mandatory: true, type: .integer),
            .init(id: 2, name: "Radio Signal Strength", operations: .read, mandatory: true, type: .integer),
            .init(id: 3, name: "Link Quality", operations: .read, type: .integer),
            .init(id: 4, name: "IP Addresses", operations: .read, multiple: true, mandatory: true, type: .string),
            .init(id: 5, name: "Router IP Addresses", operations: .read, multiple: true, type: .string),
            .init(id: 6, name: "Link Utilization", operations: .read, type: .integer),
            .init(id: 7, name: "APN", operations: .read, multiple: true, type: .string),
            .init(id: 8, name: "Cell ID", operations: .read, type: .integer),
            .init(id: 9, name: "SMNC", operations: .read, type: .integer),
            .init(id: 10, name: "SMCC", operations: .read, type: .integer),
            .init(id: 11, name: "SignalSNR", operations: .read, type: .integer),
            .init(id: 12, name: "LAC", operations: .read, type: .integer),
        ])
}

/// Values of Network Bearer (/4/0/0). 0–20 are cellular; 7 (NB-IoT) was added to the object's
/// enumeration after 1.0, which listed 0–6 only.
public enum NetworkBearer: Int64, Hashable, Sendable {
    case gsm = 0, tdscdma = 1, wcdma = 2, cdma2000 = 3, wimax = 4, lteTDD = 5, lteFDD = 6, nbIoT = 7
    case wlan = 21, bluetooth = 22, ieee802154 = 23, ethernet = 41, dsl = 42, plc = 43
}

extension ObjectInstance {
    /// Connectivity as an NB-IoT module sees it. `signalStrength` in dBm.
    public static func connectivityMonitoring(bearer: NetworkBearer = .nbIoT, signalStrength: Int64 = -85,
                                              linkQuality: Int64? = nil, ipAddresses: [String] = [],
                                              apn: [String] = [], cellID: Int64? = nil,
                                              smnc: Int64? = nil, smcc: Int64? = nil) -> ObjectInstance {
        func list<T>(_ xs: [T], _ f: (T) -> ResourceValue) -> [UInt16: ResourceValue] {
            Dictionary(uniqueKeysWithValues: xs.enumerated().map { (UInt16($0.offset), f($0.element)) })
        }
        var resources: [Resource] = [
            .single(0, .integer(bearer.rawValue)),
            .multiple(1, [0: .integer(bearer.rawValue)]),
            .single(2, .integer(signalStrength)),
            .multiple(4, list(ipAddresses, ResourceValue.string)),
        ]
        if let linkQuality { resources.append(.single(3, .integer(linkQuality))) }
        if !apn.isEmpty { resources.append(.multiple(7, list(apn, ResourceValue.string))) }
        if let cellID { resources.append(.single(8, .integer(cellID))) }
        if let smnc { resources.append(.single(9, .integer(smnc))) }
        if let smcc { resources.append(.single(10, .integer(smcc))) }
        return ObjectInstance(id: 0, resources: resources)
    }
}
