package dev.darkfactory.operator.contract;

/**
 * The reasons a station of the generator pod records in its {@link StationOutcome} when it
 * fails; the operator copies them into the attempt's status.
 */
public final class StationReasons {

    /** prepare could not read its inputs or restore the previous source. */
    public static final String PREPARE_FAILED = "PrepareFailed";
    /** The generator failed or gave an unusable answer. */
    public static final String GENERATOR_FAILED = "GeneratorFailed";
    /** {@code darkfactory-app.json} is missing or invalid. */
    public static final String NO_APP_MANIFEST = "NoAppManifest";
    /** The app manifest names a base image outside the allow-list. */
    public static final String BASE_IMAGE_NOT_ALLOWED = "BaseImageNotAllowed";
    /** The image could not be assembled (base image unreadable, files missing). */
    public static final String BUILD_FAILED = "BuildFailed";
    /** The registry refused the image or could not be reached. */
    public static final String PUSH_FAILED = "PushFailed";
    /** report found the outcomes of the stations before it missing or unreadable. */
    public static final String REPORT_FAILED = "ReportFailed";
    /** The tester could not run at all (its inputs are unreadable); not a verdict on the app. */
    public static final String TESTER_FAILED = "TesterFailed";

    private StationReasons() {
    }
}
