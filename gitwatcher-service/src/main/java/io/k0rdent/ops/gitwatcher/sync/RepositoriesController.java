package io.k0rdent.ops.gitwatcher.sync;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.util.List;

/** {@code GET /repositories}: what each watched branch has processed, and its last error. */
@Controller("/repositories")
public class RepositoriesController {

    private final SyncScheduler scheduler;

    public RepositoriesController(SyncScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Get
    public List<RepositoryStatus> list() {
        return scheduler.statuses();
    }
}
