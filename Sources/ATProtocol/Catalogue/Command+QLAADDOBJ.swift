extension CommandSpec {
    /// 2.6 AT+QLAADDOBJ: add an object instance.
    static let qlaaddobj = CommandSpec(
        name: "AT+QLAADDOBJ",
        summary: "Add an LwM2M object instance with its resources, and tell the platform",
        chineseTitle: "添加 LwM2M 对象", section: "2.6", maximumResponseSeconds: 5,
        forms: [
            FormSpec(.query, syntax: "AT+QLAADDOBJ?", summary: "list the added object instances",
                     responses: ["+QLAADDOBJ: <objectID>,<instantID>,<resource_number>,<resourceID>[,<resourceID>,...]"]),
            FormSpec(.set, syntax: "AT+QLAADDOBJ=<objectID>,<instantID>,<resource_number>,<resourceID>[,<resourceID>,...]",
                     summary: "add an instance; when registered, also send an update and report its result",
                     parameters: [
                        .required(.objectID), .required(.instantID),
                        .required(ParameterSpec("resource_number", .integer(1...14),
                            meaning: "number of resources (at most 14 per instance); equals the count of <resourceID> given",
                            chinese: "资源数量")),
                        .repeated(.resourceID, minimum: 1, maximum: 14),
                     ],
                     rules: [.countMatches(count: "resource_number", repeated: "resourceID")],
                     responses: ["+QLAADDOBJ: <result_code> (when registered)"]),
        ],
        responseFields: [.resultCode],
        remarks: [
            "Takes effect at once; saved, survives deep sleep.",
            "At most 3 custom objects, 4 instances per object, 14 resources per instance.",
            "Objects 0, 1, 3, 4, 5 are built in and need not be added.",
            "Usable before or after registration, not while registering.",
        ])

    /// 2.7 AT+QLADELOBJ: delete an object.
    static let qladelobj = CommandSpec(
        name: "AT+QLADELOBJ",
        summary: "Delete an added LwM2M object, and tell the platform",
        chineseTitle: "删除 LwM2M 对象", section: "2.7", maximumResponseSeconds: 5,
        forms: [
            FormSpec(.set, syntax: "AT+QLADELOBJ=<objectID>",
                     summary: "delete the object; when registered, also send an update and report its result",
                     parameters: [.required(.objectID)],
                     responses: ["+QLADELOBJ: <result_code> (when registered)"]),
        ],
        responseFields: [.resultCode],
        remarks: [
            "Usable before or after registration, not while registering.",
            "Objects not added with AT+QLAADDOBJ (the built-in ones) cannot be deleted.",
        ])
}
