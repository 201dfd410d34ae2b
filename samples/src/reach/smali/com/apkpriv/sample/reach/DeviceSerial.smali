.class public final Lcom/apkpriv/sample/reach/DeviceSerial;
.super Ljava/lang/Object;
.source "DeviceSerial.java"

# Case c: the serial number is read in the static initialiser, which runs when the class is
# first used (DeviceSerial.value() from MainActivity.onCreate). value() itself reads nothing.

.field private static final VALUE:Ljava/lang/String;

.method static constructor <clinit>()V
    .registers 2
    sget v0, Landroid/os/Build$VERSION;->SDK_INT:I
    const/16 v1, 0x1a
    if-lt v0, v1, :legacy

    :try_start_0
    invoke-static {}, Landroid/os/Build;->getSerial()Ljava/lang/String;
    move-result-object v0
    :try_end_0
    .catch Ljava/lang/SecurityException; {:try_start_0 .. :try_end_0} :denied
    goto :store

    :denied
    move-exception v0
    const-string v0, "unknown"
    goto :store

    :legacy
    sget-object v0, Landroid/os/Build;->SERIAL:Ljava/lang/String;

    :store
    sput-object v0, Lcom/apkpriv/sample/reach/DeviceSerial;->VALUE:Ljava/lang/String;
    return-void
.end method

.method private constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public static value()Ljava/lang/String;
    .registers 1
    sget-object v0, Lcom/apkpriv/sample/reach/DeviceSerial;->VALUE:Ljava/lang/String;
    return-object v0
.end method
