import CoAP
import LwM2M
import Runtime
import Testing
@testable import Platforms

@Suite struct CTPlatformTests {
    @Test func explore() {
        let world = PlatformWorld(profile: .ctIoT, endpoint: ctIMEI)
        world.start()
        world.run(until: 10_000)
        for l in world.lines { print(l) }
        for (t, m) in world.platformMessages { print("P", t.milliseconds, m) }
        for (t, m) in world.deviceMessages { print("D", t.milliseconds, m) }
        let (_, out) = world.platform.withNode { node, now in node.sendDownlink([1, 2, 3], to: ctIMEI, now: now) }
        world.network.send(out, from: world.platform.address)
        world.device.perform { node, now in node.command(now: now) { c in c.modifyObjects(now: now) { try? $0.setValue(.opaque([2, 0, 1, 0, 4, 0, 2, 0x34, 0x38]), at: LwM2MPath(19, 0, 0, 0)) } } }
        world.run(until: 20_000)
        for l in world.lines { print(l) }
        print(world.deviceEvents)
    }
}
