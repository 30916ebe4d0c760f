package io.camelappconnect.operations;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;

import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.support.DefaultThreadPoolFactory;
import org.apache.camel.util.concurrent.SizedScheduledExecutorService;

/**
 * Camel's thread pools, where a scheduled pool's thread ends once it has nothing left to run, as the other pools'
 * threads do (the profile's {@code allowCoreThreadTimeOut} and {@code keepAliveTime}, {@code camel.threadpool.*}).
 * Camel's own factory keeps a scheduled pool's threads for good: {@code scheduler:init?repeatCount=1} kept one idle
 * thread for the app's whole life. A pool with a task still to come (the watchdog's) keeps its one thread.
 */
public final class IdleThreadsEnd extends DefaultThreadPoolFactory {

    @Override
    public ScheduledExecutorService newScheduledThreadPool(ThreadPoolProfile profile, ThreadFactory factory) {
        ScheduledExecutorService pool = super.newScheduledThreadPool(profile, factory);
        ScheduledThreadPoolExecutor executor = pool instanceof SizedScheduledExecutorService sized
                ? sized.getScheduledThreadPoolExecutor() : (ScheduledThreadPoolExecutor) pool;
        if (Boolean.TRUE.equals(profile.getAllowCoreThreadTimeOut()) && profile.getKeepAliveTime() > 0) {
            executor.setKeepAliveTime(profile.getKeepAliveTime(), profile.getTimeUnit());
            executor.allowCoreThreadTimeOut(true);
        }
        return pool;
    }
}
