.class public Lcn/jpush/android/api/JPushInterface;
.super Ljava/lang/Object;
.source "JPushInterface.java"

# JPush public entry point (same signature as the real JPushInterface.init): registers the
# device with identifiers collected by the push SDK itself.

.field private static sRegistrationInfo:Ljava/lang/String;

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public static init(Landroid/content/Context;)V
    .registers 2
    invoke-static {p0}, Lcn/jpush/android/helper/DeviceInfoHelper;->collect(Landroid/content/Context;)Ljava/lang/String;
    move-result-object v0
    sput-object v0, Lcn/jpush/android/api/JPushInterface;->sRegistrationInfo:Ljava/lang/String;
    return-void
.end method

.method public static getRegistrationID(Landroid/content/Context;)Ljava/lang/String;
    .registers 2
    sget-object v0, Lcn/jpush/android/api/JPushInterface;->sRegistrationInfo:Ljava/lang/String;
    return-object v0
.end method
