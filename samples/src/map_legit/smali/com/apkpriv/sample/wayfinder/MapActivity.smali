.class public Lcom/apkpriv/sample/wayfinder/MapActivity;
.super Landroid/app/Activity;
.source "MapActivity.java"

# Launcher: shows the current position. Uses the platform LocationManager and the AMap location
# SDK (location is the map app's basic function) and also reads the IMEI (which it is not).

.implements Landroid/location/LocationListener;
.implements Lcom/amap/api/location/AMapLocationListener;

.field private locationManager:Landroid/location/LocationManager;
.field private amapClient:Lcom/amap/api/location/AMapLocationClient;
.field private positionView:Landroid/widget/TextView;

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/app/Activity;-><init>()V
    return-void
.end method

.method protected onCreate(Landroid/os/Bundle;)V
    .registers 9
    invoke-super {p0, p1}, Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V

    new-instance v0, Landroid/widget/TextView;
    invoke-direct {v0, p0}, Landroid/widget/TextView;-><init>(Landroid/content/Context;)V
    iput-object v0, p0, Lcom/apkpriv/sample/wayfinder/MapActivity;->positionView:Landroid/widget/TextView;
    invoke-virtual {p0, v0}, Lcom/apkpriv/sample/wayfinder/MapActivity;->setContentView(Landroid/view/View;)V

    const-string v0, "location"
    invoke-virtual {p0, v0}, Lcom/apkpriv/sample/wayfinder/MapActivity;->getSystemService(Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v1
    check-cast v1, Landroid/location/LocationManager;
    iput-object v1, p0, Lcom/apkpriv/sample/wayfinder/MapActivity;->locationManager:Landroid/location/LocationManager;

    const-string v2, "gps"
    invoke-virtual {v1, v2}, Landroid/location/LocationManager;->getLastKnownLocation(Ljava/lang/String;)Landroid/location/Location;
    move-result-object v0
    if-eqz v0, :no_fix
    invoke-direct {p0, v0}, Lcom/apkpriv/sample/wayfinder/MapActivity;->showPosition(Landroid/location/Location;)V

    :no_fix
    const-wide/16 v3, 0x1388
    const/high16 v5, 0x41200000
    move-object v6, p0
    invoke-virtual/range {v1 .. v6}, Landroid/location/LocationManager;->requestLocationUpdates(Ljava/lang/String;JFLandroid/location/LocationListener;)V

    new-instance v0, Lcom/amap/api/location/AMapLocationClient;
    invoke-virtual {p0}, Lcom/apkpriv/sample/wayfinder/MapActivity;->getApplicationContext()Landroid/content/Context;
    move-result-object v1
    invoke-direct {v0, v1}, Lcom/amap/api/location/AMapLocationClient;-><init>(Landroid/content/Context;)V
    iput-object v0, p0, Lcom/apkpriv/sample/wayfinder/MapActivity;->amapClient:Lcom/amap/api/location/AMapLocationClient;
    invoke-virtual {v0, p0}, Lcom/amap/api/location/AMapLocationClient;->setLocationListener(Lcom/amap/api/location/AMapLocationListener;)V
    invoke-virtual {v0}, Lcom/amap/api/location/AMapLocationClient;->startLocation()V

    invoke-static {p0}, Lcom/apkpriv/sample/wayfinder/DeviceIds;->readImei(Landroid/content/Context;)Ljava/lang/String;
    move-result-object v0
    new-instance v1, Ljava/lang/StringBuilder;
    invoke-direct {v1}, Ljava/lang/StringBuilder;-><init>()V
    const-string v2, "event=open&imei="
    invoke-virtual {v1, v2}, Ljava/lang/StringBuilder;->append(Ljava/lang/String;)Ljava/lang/StringBuilder;
    invoke-virtual {v1, v0}, Ljava/lang/StringBuilder;->append(Ljava/lang/String;)Ljava/lang/StringBuilder;
    invoke-virtual {v1}, Ljava/lang/StringBuilder;->toString()Ljava/lang/String;
    move-result-object v1
    invoke-static {v1}, Lcom/apkpriv/sample/wayfinder/RouteClient;->sendAsync(Ljava/lang/String;)V
    return-void
.end method

.method protected onDestroy()V
    .registers 2
    iget-object v0, p0, Lcom/apkpriv/sample/wayfinder/MapActivity;->locationManager:Landroid/location/LocationManager;
    invoke-virtual {v0, p0}, Landroid/location/LocationManager;->removeUpdates(Landroid/location/LocationListener;)V
    iget-object v0, p0, Lcom/apkpriv/sample/wayfinder/MapActivity;->amapClient:Lcom/amap/api/location/AMapLocationClient;
    invoke-virtual {v0}, Lcom/amap/api/location/AMapLocationClient;->stopLocation()V
    invoke-super {p0}, Landroid/app/Activity;->onDestroy()V
    return-void
.end method

.method private showPosition(Landroid/location/Location;)V
    .registers 5
    new-instance v0, Ljava/lang/StringBuilder;
    invoke-direct {v0}, Ljava/lang/StringBuilder;-><init>()V
    invoke-virtual {p1}, Landroid/location/Location;->getLatitude()D
    move-result-wide v1
    invoke-virtual {v0, v1, v2}, Ljava/lang/StringBuilder;->append(D)Ljava/lang/StringBuilder;
    const-string v1, ", "
    invoke-virtual {v0, v1}, Ljava/lang/StringBuilder;->append(Ljava/lang/String;)Ljava/lang/StringBuilder;
    invoke-virtual {p1}, Landroid/location/Location;->getLongitude()D
    move-result-wide v1
    invoke-virtual {v0, v1, v2}, Ljava/lang/StringBuilder;->append(D)Ljava/lang/StringBuilder;
    invoke-virtual {v0}, Ljava/lang/StringBuilder;->toString()Ljava/lang/String;
    move-result-object v0
    iget-object v1, p0, Lcom/apkpriv/sample/wayfinder/MapActivity;->positionView:Landroid/widget/TextView;
    invoke-virtual {v1, v0}, Landroid/widget/TextView;->setText(Ljava/lang/CharSequence;)V
    return-void
.end method

.method public onLocationChanged(Landroid/location/Location;)V
    .registers 2
    invoke-direct {p0, p1}, Lcom/apkpriv/sample/wayfinder/MapActivity;->showPosition(Landroid/location/Location;)V
    return-void
.end method

.method public onLocationChanged(Lcom/amap/api/location/AMapLocation;)V
    .registers 2
    invoke-direct {p0, p1}, Lcom/apkpriv/sample/wayfinder/MapActivity;->showPosition(Landroid/location/Location;)V
    return-void
.end method

.method public onStatusChanged(Ljava/lang/String;ILandroid/os/Bundle;)V
    .registers 4
    return-void
.end method

.method public onProviderEnabled(Ljava/lang/String;)V
    .registers 2
    return-void
.end method

.method public onProviderDisabled(Ljava/lang/String;)V
    .registers 2
    return-void
.end method
