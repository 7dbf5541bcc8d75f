package dev.darkfactory.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/**
 * A verified revision kept beside the serving one, scaled to 0, for a rollback (at most {@code
 * spec.serve.revisionHistoryLimit} of them).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RevisionStatus {

    @JsonPropertyDescription(
            "The revision's name; its Deployment is <intent>-<revision>. Set spec.serve.revision to it to roll back.")
    public String revision;

    @JsonPropertyDescription("The FactoryRun whose image the revision runs.")
    public String run;

    @JsonPropertyDescription("The image of the revision, by digest.")
    public String image;

    public RevisionStatus() {}

    public RevisionStatus(String revision, String run, String image) {
        this.revision = revision;
        this.run = run;
        this.image = image;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RevisionStatus r
                && Objects.equals(revision, r.revision)
                && Objects.equals(run, r.run)
                && Objects.equals(image, r.image);
    }

    @Override
    public int hashCode() {
        return Objects.hash(revision, run, image);
    }

    @Override
    public String toString() {
        return revision + " (" + image + " of run " + run + ")";
    }
}
